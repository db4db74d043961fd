/// A length of time written the Go way: `500ms`, `30s`, `5m`, `1h30m`.
public struct DurationValue: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }
    public static func seconds(_ value: Int64) -> DurationValue { .init(milliseconds: value * 1000) }
    public static func minutes(_ value: Int64) -> DurationValue { .init(milliseconds: value * 60_000) }

    public var duration: Duration { .milliseconds(milliseconds) }

    private static let units: [(suffix: String, milliseconds: Int64)] = [
        ("ms", 1), ("h", 3_600_000), ("m", 60_000), ("s", 1000),
    ]

    /// Parses `1h30m`, `500ms`, `2.5s`. Returns nil for anything else, including bare numbers,
    /// which are ambiguous (seconds? milliseconds?).
    public init?(parsing text: String) {
        // ASCII (what manifests hold) is read as bytes, the same rule without Character's cost.
        let parsed = text.utf8.allSatisfy { $0 < 0x80 } ? Self.milliseconds(ascii: text) : Self.milliseconds(characters: text)
        guard let parsed else { return nil }
        self.milliseconds = parsed
    }

    static func milliseconds(characters text: String) -> Int64? {
        var rest = Substring(text.trimmingSpaces)
        guard !rest.isEmpty else { return nil }
        var total: Double = 0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            guard let unit = Self.units.first(where: { rest.hasPrefix($0.suffix) }) else { return nil }
            rest = rest.dropFirst(unit.suffix.count)
            total += value * Double(unit.milliseconds)
        }
        guard total < 1e15 else { return nil }
        return Int64(total.rounded())
    }

    static func milliseconds(ascii text: String) -> Int64? {
        let bytes = Array(text.utf8)
        // ASCII white space, as Character.isWhitespace sees it: tab, line feed, vertical tab, form feed, return, space.
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
        var index = bytes.firstIndex { !isSpace($0) } ?? bytes.count
        let end = (bytes.lastIndex { !isSpace($0) } ?? -1) + 1
        guard index < end else { return nil }
        var total: Double = 0
        while index < end {
            let numberEnd = bytes[index..<end].firstIndex { !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) && $0 != UInt8(ascii: ".") } ?? end
            guard numberEnd > index, let value = Double(String(decoding: bytes[index..<numberEnd], as: UTF8.self)) else { return nil }
            index = numberEnd
            guard let unit = units.first(where: { unit in
                bytes[index..<end].starts(with: unit.suffix.utf8)
            }) else { return nil }
            index += unit.suffix.utf8.count
            total += value * Double(unit.milliseconds)
        }
        guard total < 1e15 else { return nil }
        return Int64(total.rounded())
    }

    /// The shortest Go-style spelling: `1h30m`, `500ms`, `0s`.
    public var description: String {
        if milliseconds == 0 { return "0s" }
        if milliseconds % 1000 != 0 && milliseconds < 1000 { return "\(milliseconds)ms" }
        var remaining = milliseconds
        var text = ""
        for (suffix, size) in [("h", Int64(3_600_000)), ("m", 60_000), ("s", 1000)] where remaining >= size {
            text += "\(remaining / size)\(suffix)"
            remaining %= size
        }
        if remaining > 0 { text += "\(remaining)ms" }
        return text
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = DurationValue(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a duration: \(text)"))
        }
        self = parsed
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public static func < (lhs: DurationValue, rhs: DurationValue) -> Bool { lhs.milliseconds < rhs.milliseconds }
}

extension String {
    var trimmingSpaces: String {
        var view = Substring(self)
        while view.first?.isWhitespace == true { view.removeFirst() }
        while view.last?.isWhitespace == true { view.removeLast() }
        return String(view)
    }
}
