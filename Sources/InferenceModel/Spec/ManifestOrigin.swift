/// Where a manifest came from, with the position of every field the loader saw,
/// so rules checked later can still point at file, line and column.
public struct ManifestOrigin: Codable, Sendable, Equatable {
    public var file: String
    /// Position of the document's first line (`kind:` or the document start).
    public var location: SourceLocation
    /// Field path (`spec.server.port`, `metadata.name`) to its value's position.
    public var fieldLocations: [String: SourceLocation]

    public init(file: String, location: SourceLocation, fieldLocations: [String: SourceLocation] = [:]) {
        self.file = file
        self.location = location
        self.fieldLocations = fieldLocations
    }

    /// The position of a field, or of its nearest enclosing field that was written, or the document.
    public func location(of fieldPath: String) -> SourceLocation {
        var path = fieldPath
        while !path.isEmpty {
            if let found = fieldLocations[path] { return found }
            guard let cut = path.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
            path = String(path[..<cut])
        }
        return location
    }

    public func diagnostic(_ issue: SpecIssue) -> Diagnostic {
        Diagnostic(issue.severity, at: location(of: issue.fieldPath), field: issue.fieldPath, issue.message, hint: issue.hint)
    }
}

/// `metadata` of every manifest document.
public struct ObjectMetadata: Codable, Sendable, Equatable {
    public var name: String
    public var labels: [String: String]
    public var annotations: [String: String]

    public init(name: String, labels: [String: String] = [:], annotations: [String: String] = [:]) {
        self.name = name
        self.labels = labels
        self.annotations = annotations
    }
}

/// The three kinds of manifest document.
public enum ManifestKind: String, Codable, Sendable, CaseIterable {
    case backend = "Backend"
    case instance = "Instance"
    case consumer = "Consumer"
    case residencyGroup = "ResidencyGroup"
}
