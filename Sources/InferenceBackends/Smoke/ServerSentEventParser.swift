/// Splits a `text/event-stream` body into its events' `data`, fed in pieces as they arrive (a
/// piece may end anywhere, even inside a UTF-8 character or between CR and LF). Only `data`
/// matters to us: other fields and comments are skipped, as the format allows.
public struct ServerSentEventParser: Sendable {
    private var line: [UInt8] = []
    private var data: [String] = []
    private var lastWasCR = false

    public init() {}

    /// The data of every event completed by `bytes` (several `data:` lines joined with `\n`).
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [String] {
        var events: [String] = []
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\n") where lastWasCR:
                lastWasCR = false // the LF of a CRLF ends nothing more
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                lastWasCR = byte == UInt8(ascii: "\r")
                if let event = endLine() { events.append(event) }
            default:
                lastWasCR = false
                line.append(byte)
            }
        }
        return events
    }

    /// A blank line ends an event; any other line is a field.
    private mutating func endLine() -> String? {
        defer { line.removeAll(keepingCapacity: true) }
        guard !line.isEmpty else {
            guard !data.isEmpty else { return nil }
            defer { data.removeAll() }
            return data.joined(separator: "\n")
        }
        guard line.first != UInt8(ascii: ":") else { return nil } // a comment (keep-alive)
        let text = String(decoding: line, as: UTF8.self)
        let name: Substring
        var value: Substring
        if let colon = text.firstIndex(of: ":") {
            name = text[..<colon]
            value = text[text.index(after: colon)...]
            if value.first == " " { value = value.dropFirst() }
        } else {
            name = Substring(text)
            value = ""
        }
        if name == "data" { data.append(String(value)) }
        return nil
    }
}
