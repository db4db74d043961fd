import InferenceModel
import Yams

/// Turns Yams' errors into diagnostics at the right line and column of the whole file.
enum YAMLErrorMapper {
    static func diagnostic(for error: Error, file: String, lineOffset: Int, text: String) -> Diagnostic {
        func at(_ mark: Mark) -> SourceLocation {
            SourceLocation(file: file, line: mark.line + lineOffset, column: max(1, mark.column))
        }
        guard let yamlError = error as? YamlError else {
            return .error(at: SourceLocation(file: file, line: lineOffset + 1, column: 1), "cannot parse YAML: \(error)")
        }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var message = "invalid YAML: \(problem)"
            if let context { message += " (\(context.text))" }
            return .error(at: at(mark), message, hint: hint(at: mark, in: text))
        case .duplicatedKeysInMapping(let duplicates, let context):
            let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            var location = at(context.mark)
            if let second = secondOccurrence(of: duplicates.first ?? "", after: context.mark, in: text) {
                location = SourceLocation(file: file, line: second.line + lineOffset, column: second.column)
            }
            return .error(at: location, "duplicate key \(names) in the same map",
                          hint: "each key may appear only once; remove or merge the repeated one")
        case .reader(let problem, _, _, _):
            return .error(at: SourceLocation(file: file, line: lineOffset + 1, column: 1),
                          "not a text file: \(problem)", hint: "manifests are UTF-8 YAML text")
        case .memory:
            return .error(at: SourceLocation(file: file, line: lineOffset + 1, column: 1), "YAML parser ran out of memory")
        default:
            return .error(at: SourceLocation(file: file, line: lineOffset + 1, column: 1), "cannot parse YAML: \(yamlError)")
        }
    }

    /// Tabs are the usual cause of "found character that cannot start any token".
    static func hint(at mark: Mark, in text: String) -> String? {
        guard let line = line(mark.line, of: text) else { return nil }
        let indentation = line.prefix { $0 == " " || $0 == "\t" }
        if indentation.contains("\t") || line.unicodeScalars.dropFirst(max(0, mark.column - 1)).first == "\t" {
            return "YAML indents with spaces, not tabs"
        }
        return nil
    }

    /// Yams points at the first of two duplicate keys; the second is the one to remove.
    static func secondOccurrence(of key: String, after mark: Mark, in text: String) -> (line: Int, column: Int)? {
        guard !key.isEmpty else { return nil }
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            guard lineNumber > mark.line else { continue }
            let indentation = line.prefix { $0 == " " }.count
            let rest = line.dropFirst(indentation)
            guard indentation + 1 == mark.column else {
                if indentation + 1 < mark.column && !rest.isEmpty && !rest.hasPrefix("#") { return nil }
                continue
            }
            if rest.hasPrefix(key + ":") || rest.hasPrefix("\"\(key)\":") || rest.hasPrefix("'\(key)':") {
                return (lineNumber, indentation + 1)
            }
        }
        return nil
    }

    static func line(_ number: Int, of text: String) -> Substring? {
        var current = 1
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == number { return line }
            current += 1
        }
        return nil
    }
}
