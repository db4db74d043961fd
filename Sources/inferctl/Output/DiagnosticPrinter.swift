import InferenceModel

/// Prints diagnostics the way compilers do, so editors and CI logs link to the place.
enum DiagnosticPrinter {
    static func print(_ diagnostics: [Diagnostic]) {
        Console.err(lines: diagnostics.sortedForDisplay.map { diagnostic in
            let label = diagnostic.severity == .error
                ? Console.styled("error", .red, terminal: Console.stderrIsTerminal)
                : Console.styled("warning", .yellow, terminal: Console.stderrIsTerminal)
            var line = "\(diagnostic.location.file):\(diagnostic.location.line):\(diagnostic.location.column): \(label): "
            if !diagnostic.fieldPath.isEmpty { line += "\(diagnostic.fieldPath): " }
            line += diagnostic.message
            if let hint = diagnostic.hint { line += " (\(hint))" }
            return line
        })
    }

    static func summary(_ diagnostics: [Diagnostic], files: Int) -> String {
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.count - errors
        let fileText = "\(files) file\(files == 1 ? "" : "s")"
        if errors == 0 {
            return "Valid: \(fileText)" + (warnings > 0 ? ", \(warnings) warning\(warnings == 1 ? "" : "s")" : "") + "."
        }
        return "Invalid: \(errors) error\(errors == 1 ? "" : "s")"
            + (warnings > 0 ? " and \(warnings) warning\(warnings == 1 ? "" : "s")" : "") + " in \(fileText)."
    }
}
