import Foundation

/// A manifest value as the importer writes it: maps keep their order, so files read like the docs.
public indirect enum ManifestYAML: Sendable, Equatable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case list([ManifestYAML])
    case map([(String, ManifestYAML)])

    public static func == (lhs: ManifestYAML, rhs: ManifestYAML) -> Bool { lhs.rendered() == rhs.rendered() }

    /// Block style, two-space indent. Short lists and maps of scalars are written inline (`{a: b}`).
    public func rendered() -> String {
        var lines: [String] = []
        Self.render(self, indent: 0, into: &lines)
        return lines.joined(separator: "\n") + "\n"
    }

    private static func render(_ value: ManifestYAML, indent: Int, into lines: inout [String]) {
        let pad = String(repeating: " ", count: indent)
        switch value {
        case .map(let entries):
            for (key, child) in entries {
                let keyText = scalarText(key)
                if let inline = child.inlineText {
                    lines.append("\(pad)\(keyText): \(inline)")
                } else if case .list(let items) = child, items.allSatisfy({ $0.isScalar }) {
                    lines.append("\(pad)\(keyText):")
                    for item in items { lines.append("\(pad)  - \(item.inlineText ?? "")") }
                } else {
                    lines.append("\(pad)\(keyText):")
                    render(child, indent: indent + 2, into: &lines)
                }
            }
        case .list(let items):
            for item in items {
                if let inline = item.inlineText {
                    lines.append("\(pad)- \(inline)")
                } else {
                    var nested: [String] = []
                    render(item, indent: indent + 2, into: &nested)
                    if let first = nested.first {
                        lines.append(pad + "- " + first.dropFirst(indent + 2))
                        lines += nested.dropFirst()
                    }
                }
            }
        default:
            lines.append(pad + (value.inlineText ?? ""))
        }
    }

    private var isScalar: Bool {
        switch self {
        case .string, .int, .bool: return true
        case .list, .map: return false
        }
    }

    /// The one-line form, or nil when the value needs a block.
    private var inlineText: String? {
        switch self {
        case .string(let text): return Self.scalarText(text)
        case .int(let number): return String(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .list(let items):
            if items.isEmpty { return "[]" }
            guard items.allSatisfy(\.isScalar), items.count <= 4 else { return nil }
            let text = "[" + items.compactMap(\.inlineText).joined(separator: ", ") + "]"
            return text.count <= 60 ? text : nil
        case .map(let entries):
            if entries.isEmpty { return "{}" }
            guard entries.allSatisfy({ $0.1.isScalar }), entries.count <= 3 else { return nil }
            let text = "{" + entries.map { "\(Self.scalarText($0.0)): \($0.1.inlineText ?? "")" }.joined(separator: ", ") + "}"
            return text.count <= 60 ? text : nil
        }
    }

    /// A string written plain when YAML reads it back as the same string, double-quoted otherwise.
    static func scalarText(_ text: String) -> String {
        needsQuotes(text) ? quoted(text) : text
    }

    private static func needsQuotes(_ text: String) -> Bool {
        if text.isEmpty || text != text.trimmingCharacters(in: .whitespaces) { return true }
        let reserved: Set<String> = ["~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE",
                                     "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "n", "Y", "N"]
        if reserved.contains(text) || Double(text) != nil || Int(text) != nil { return true }
        if text.hasPrefix("0x") || text.hasPrefix("0o") || text.hasPrefix(".") { return true }
        guard let first = text.unicodeScalars.first else { return true }
        if ",[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) { return true }
        // `-`, `?` and `:` start a plain scalar unless a blank follows (`--port` is plain, `- x` is not).
        if "-?:".unicodeScalars.contains(first) {
            let second = text.unicodeScalars.dropFirst().first
            if second == nil || second == " " || second == "\t" { return true }
        }
        if text.contains(": ") || text.contains(" #") || text.hasSuffix(":") { return true }
        return text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || "[]{},".unicodeScalars.contains($0) }
    }

    private static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + String(scalar.value, radix: 16).leftPadded(to: 2)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
