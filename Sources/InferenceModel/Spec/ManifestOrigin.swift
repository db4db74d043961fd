/// Where a manifest came from, with the position of every field the loader saw,
/// so rules checked later can still point at file, line and column.
public struct ManifestOrigin: Codable, Sendable, Equatable {
    public var file: String
    /// Position of the document's first line (`kind:` or the document start).
    public var location: SourceLocation
    /// Field path (`spec.server.port`, `metadata.name`) to its value's position.
    public var fieldLocations: [String: SourceLocation] {
        get { places?.locations(in: file) ?? givenLocations }
        set {
            places = nil
            givenLocations = newValue
        }
    }
    /// As the loader recorded them: compact, made into paths only when asked (most never are).
    private var places: FieldPlaces?
    private var givenLocations: [String: SourceLocation]

    public init(file: String, location: SourceLocation, fieldLocations: [String: SourceLocation] = [:]) {
        self.file = file
        self.location = location
        givenLocations = fieldLocations
    }

    /// Positions recorded while decoding, all in `file`.
    public init(file: String, location: SourceLocation, places: FieldPlaces) {
        self.file = file
        self.location = location
        self.places = places
        givenLocations = [:]
    }

    /// The position of a field, or of its nearest enclosing field that was written, or the document.
    public func location(of fieldPath: String) -> SourceLocation {
        let fieldLocations = fieldLocations
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

    public static func == (lhs: ManifestOrigin, rhs: ManifestOrigin) -> Bool {
        guard lhs.file == rhs.file, lhs.location == rhs.location else { return false }
        // The same records mean the same positions; only different ones need their paths built.
        if let one = lhs.places, let other = rhs.places, one == other { return true }
        return lhs.fieldLocations == rhs.fieldLocations
    }

    enum CodingKeys: String, CodingKey {
        case file, location, fieldLocations
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(file: try container.decode(String.self, forKey: .file),
                  location: try container.decode(SourceLocation.self, forKey: .location),
                  fieldLocations: try container.decode([String: SourceLocation].self, forKey: .fieldLocations))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(location, forKey: .location)
        try container.encode(fieldLocations, forKey: .fieldLocations)
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
