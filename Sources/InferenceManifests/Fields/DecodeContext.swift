import InferenceModel

/// What decoding one document finds: its problems, and where each field was written
/// (for `ManifestOrigin.fieldLocations`, so later rules can point at positions).
///
/// Positions recorded: a scalar field points at its value; a map or list field at its key;
/// a list item at the item.
final class DecodeContext {
    let file: String
    /// The manifest's folder, absolute: relative paths in specs are resolved against it.
    let baseDirectory: String
    private(set) var diagnostics: [Diagnostic] = []
    private(set) var fieldLocations: [String: SourceLocation]
    /// Every key a map reader asked for, with the reader's number: kept here, in one list per
    /// document rather than one per map, and only read back to suggest a known key for an unknown one.
    private var askedKeys: [(reader: Int, key: String)] = []
    private var mapReaders = 0

    init(file: String, baseDirectory: String) {
        self.file = file
        self.baseDirectory = baseDirectory
        // Manifests record a few dozen fields: room for them up front, not a regrowth every few.
        fieldLocations = Dictionary(minimumCapacity: 32)
        askedKeys.reserveCapacity(64)
    }

    func newMapReader() -> Int {
        mapReaders += 1
        return mapReaders
    }

    func noteAsked(_ key: String, by reader: Int) {
        askedKeys.append((reader, key))
    }

    /// The keys `reader` asked for, each once, in the order first asked.
    func keysAsked(by reader: Int) -> [String] {
        var keys: [String] = []
        for asked in askedKeys where asked.reader == reader && !keys.contains(asked.key) {
            keys.append(asked.key)
        }
        return keys
    }

    func error(at location: SourceLocation, field: String, _ message: String, hint: String? = nil) {
        diagnostics.append(.error(at: location, field: field, message, hint: hint))
    }

    func warning(at location: SourceLocation, field: String, _ message: String, hint: String? = nil) {
        diagnostics.append(.warning(at: location, field: field, message, hint: hint))
    }

    func record(_ fieldPath: String, at location: SourceLocation) {
        fieldLocations[fieldPath] = location
    }
}

/// Field paths as diagnostics print them: `spec.server.port`, `spec.command[2]`.
enum FieldPath {
    static func child(_ parent: String, _ key: String) -> String {
        parent.isEmpty ? key : parent + "." + key
    }

    static func item(_ parent: String, _ index: Int) -> String {
        "\(parent)[\(index)]"
    }
}

/// "did you mean 'ctxSize'?" from the closest candidate by edit distance.
enum DidYouMean {
    static func hint(for word: String, among candidates: [String]) -> String? {
        // An exact match ignoring case is the likeliest fix, even if the distance rule would allow another.
        if let sameLetters = candidates.first(where: { $0.lowercased() == word.lowercased() }) {
            return "did you mean '\(sameLetters)'?"
        }
        return Suggestions.closest(to: word, among: candidates).map { "did you mean '\($0)'?" }
    }
}
