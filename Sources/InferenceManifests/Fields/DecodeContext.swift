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
    private(set) var fieldLocations: [String: SourceLocation] = [:]

    init(file: String, baseDirectory: String) {
        self.file = file
        self.baseDirectory = baseDirectory
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
