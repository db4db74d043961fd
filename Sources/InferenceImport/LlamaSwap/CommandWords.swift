/// llama-swap's `cmd` string to argv, the way llama-swap reads it: lines whose first non-blank
/// character is `#` are comments, a trailing `\` continues a line, then words are split on blanks
/// with single quotes, double quotes and backslash escapes as in a POSIX shell (no expansion).
enum CommandWords {
    enum Problem: Error, Equatable {
        case unterminatedQuote(Character)
    }

    static func split(_ command: String) throws(Problem) -> [String] {
        let lines = command.split(separator: "\n", omittingEmptySubsequences: false).compactMap { raw -> String? in
            let line = raw.trimmingBlanks()
            if line.hasPrefix("#") { return nil }
            return line.hasSuffix("\\") ? String(line.dropLast()) : line
        }
        return try words(lines.joined(separator: " "))
    }

    private static func words(_ text: String) throws(Problem) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for character in text {
            if escaped {
                current.append(character)
                escaped = false
                continue
            }
            if let open = quote {
                if character == open {
                    quote = nil
                } else if character == "\\" && open == "\"" {
                    escaped = true
                } else {
                    current.append(character)
                }
                continue
            }
            switch character {
            case " ", "\t", "\r":
                if inWord { words.append(current) }
                current = ""
                inWord = false
            case "'", "\"":
                quote = character
                inWord = true
            case "\\":
                escaped = true
                inWord = true
            default:
                current.append(character)
                inWord = true
            }
        }
        if let open = quote { throw .unterminatedQuote(open) }
        if inWord { words.append(current) }
        return words
    }
}

extension StringProtocol {
    func trimmingBlanks() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" || first == "\r" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" || last == "\r" { slice = slice.dropLast() }
        return String(slice)
    }
}
