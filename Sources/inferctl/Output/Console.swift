import Foundation

/// Writing to the terminal: stdout for results, stderr for diagnostics; colour only on a terminal.
enum Console {
    static let stdoutIsTerminal = isatty(STDOUT_FILENO) == 1
    static let stderrIsTerminal = isatty(STDERR_FILENO) == 1
    static var colourAllowed: Bool { ProcessInfo.processInfo.environment["NO_COLOR"] == nil }

    static func out(_ line: String = "") {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func err(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Many lines in one write: a plan or a report of 10,000 lines is not 10,000 system calls.
    static func out(lines: [String]) {
        write(lines, to: FileHandle.standardOutput)
    }

    static func err(lines: [String]) {
        write(lines, to: FileHandle.standardError)
    }

    private static func write(_ lines: [String], to handle: FileHandle) {
        guard !lines.isEmpty else { return }
        var text = ""
        text.reserveCapacity(lines.reduce(0) { $0 + $1.utf8.count + 1 })
        for line in lines {
            text += line
            text += "\n"
        }
        handle.write(Data(text.utf8))
    }

    enum Style: String {
        case red = "31", green = "32", yellow = "33", cyan = "36", bold = "1", dim = "2"
    }

    static func styled(_ text: String, _ style: Style, terminal: Bool = stdoutIsTerminal) -> String {
        terminal && colourAllowed ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }

    /// Pretty, key-sorted JSON for `-o json`.
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Left-aligned columns.
    static func table(_ rows: [[String]], indent: String = "") -> [String] {
        guard let width = rows.map(\.count).max() else { return [] }
        let widths = (0..<width).map { column in rows.map { column < $0.count ? visibleWidth($0[column]) : 0 }.max() ?? 0 }
        return rows.map { row in
            indent + row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - visibleWidth(cell))
            }.joined(separator: "  ")
        }
    }

    /// Characters a terminal shows: colour escapes take no room.
    static func visibleWidth(_ text: String) -> Int {
        // Printable ASCII (names, reasons): one byte, one column, without walking characters.
        if text.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) { return text.utf8.count }
        var count = 0, inEscape = false
        for character in text {
            if character == "\u{1B}" { inEscape = true } else if inEscape { if character == "m" { inEscape = false } } else { count += 1 }
        }
        return count
    }
}
