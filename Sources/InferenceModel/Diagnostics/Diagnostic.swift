/// A place in a manifest file. Lines and columns count from 1.
public struct SourceLocation: Codable, Sendable, Hashable, Comparable {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.line, lhs.column) < (rhs.file, rhs.line, rhs.column)
    }
}

/// One problem found in the manifests, with where it is and what to do about it.
public struct Diagnostic: Codable, Sendable, Hashable {
    public enum Severity: String, Codable, Sendable, Hashable {
        case error
        case warning
    }

    public var severity: Severity
    public var location: SourceLocation
    /// Dotted path of the field, e.g. `spec.server.port`; empty for whole-file problems.
    public var fieldPath: String
    public var message: String
    /// A fix to try, e.g. "did you mean 'ctxSize'?".
    public var hint: String?

    public init(_ severity: Severity, at location: SourceLocation, field fieldPath: String = "", _ message: String, hint: String? = nil) {
        self.severity = severity
        self.location = location
        self.fieldPath = fieldPath
        self.message = message
        self.hint = hint
    }

    public static func error(at location: SourceLocation, field: String = "", _ message: String, hint: String? = nil) -> Diagnostic {
        Diagnostic(.error, at: location, field: field, message, hint: hint)
    }

    public static func warning(at location: SourceLocation, field: String = "", _ message: String, hint: String? = nil) -> Diagnostic {
        Diagnostic(.warning, at: location, field: field, message, hint: hint)
    }

    /// `file:line:col: error: spec.server.port: message (hint)`, the shape editors and CI logs link.
    public var rendered: String {
        var text = "\(location.file):\(location.line):\(location.column): \(severity.rawValue): "
        if !fieldPath.isEmpty { text += "\(fieldPath): " }
        text += message
        if let hint { text += " (\(hint))" }
        return text
    }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains { $0.severity == .error } }
    public var errors: [Diagnostic] { filter { $0.severity == .error } }

    /// Stable order for output: by file, line, column, then message.
    public var sortedForDisplay: [Diagnostic] {
        sorted { ($0.location, $0.message) < ($1.location, $1.message) }
    }
}

/// A problem with one field of a spec, before it is placed in a file (backends and rules report these).
public struct SpecIssue: Sendable, Hashable {
    public var severity: Diagnostic.Severity
    public var fieldPath: String
    public var message: String
    public var hint: String?

    public init(_ severity: Diagnostic.Severity = .error, field fieldPath: String, _ message: String, hint: String? = nil) {
        self.severity = severity
        self.fieldPath = fieldPath
        self.message = message
        self.hint = hint
    }
}
