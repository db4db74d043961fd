import InferenceModel

/// Turns libyaml's errors into diagnostics at the right line and column of the whole file.
enum YAMLErrorMapper {
    static func diagnostic(for error: YAMLSyntaxError, file: String, window: TextWindow,
                           in bytes: UnsafeBufferPointer<UInt8>) -> Diagnostic {
        let line = error.position.line + window.firstLine - 1
        switch error.kind {
        case .reader:
            return .error(at: SourceLocation(file: file, line: line, column: 1),
                          "not a text file: \(error.problem)", hint: "manifests are UTF-8 YAML text")
        case .memory:
            return .error(at: SourceLocation(file: file, line: line, column: 1), "YAML parser ran out of memory")
        case .syntax:
            var message = "invalid YAML: \(error.problem)"
            if let context = error.context { message += " (\(context))" }
            let text = window.text(ofLine: error.position.line, in: bytes)
            return .error(at: SourceLocation(file: file, line: line, column: max(1, error.position.column)), message,
                          hint: text.flatMap { hint(column: error.position.column, line: $0) })
        }
    }

    /// Tabs are the usual cause of "found character that cannot start any token".
    static func hint(column: Int, line: String) -> String? {
        let indentation = line.prefix { $0 == " " || $0 == "\t" }
        if indentation.contains("\t") || line.unicodeScalars.dropFirst(max(0, column - 1)).first == "\t" {
            return "YAML indents with spaces, not tabs"
        }
        return nil
    }
}
