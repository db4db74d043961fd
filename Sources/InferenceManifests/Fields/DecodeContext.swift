import InferenceModel

/// What decoding one document finds: its problems, and where each field was written
/// (for `ManifestOrigin`, so later rules can point at positions).
///
/// Positions recorded: a scalar field points at its value; a map or list field at its key;
/// a list item at the item.
final class DecodeContext {
    let file: String
    /// The manifest's folder, absolute: relative paths in specs are resolved against it.
    let baseDirectory: String
    private(set) var diagnostics: [Diagnostic] = []
    private(set) var places = FieldPlaces()
    /// Whether map readers keep the keys they ask for (to suggest one for an unknown key).
    let keepsAskedKeys: Bool
    /// An unknown key was found while the asked keys were not kept: decode again, keeping them.
    private(set) var needsAskedKeys = false
    /// Every key a map reader asked for, with the reader's number: one list per document rather
    /// than one per map, read back only to suggest a known key for an unknown one.
    private var askedKeys: [(reader: Int, key: String)] = []
    private var mapReaders = 0

    init(file: String, baseDirectory: String, keepsAskedKeys: Bool = true) {
        self.file = file
        self.baseDirectory = baseDirectory
        self.keepsAskedKeys = keepsAskedKeys
        // Room for the fields a manifest records (instances about 20), not a regrowth every few;
        // small enough for the allocator's fast path.
        places.reserveCapacity(24)
    }

    /// Called by a reader that found unknown keys without the asked keys at hand.
    func askForAskedKeys() {
        needsAskedKeys = true
    }

    func error(at location: SourceLocation, field: String, _ message: String, hint: String? = nil) {
        diagnostics.append(.error(at: location, field: field, message, hint: hint))
    }

    func error(at location: SourceLocation, field: Field, _ message: String, hint: String? = nil) {
        error(at: location, field: path(of: field), message, hint: hint)
    }

    func warning(at location: SourceLocation, field: Field, _ message: String, hint: String? = nil) {
        diagnostics.append(.warning(at: location, field: path(of: field), message, hint: hint))
    }

    /// Records that field `key` of `parent` was written at `position`.
    func record(_ key: String, of parent: Field, at position: TextPosition) -> Field {
        Field(number: places.record(key: key, under: parent.number, line: position.line, column: position.column))
    }

    /// Records that item `index` of list `parent` was written at `position`.
    func record(item index: Int, of parent: Field, at position: TextPosition) -> Field {
        Field(number: places.record(item: index, under: parent.number, line: position.line, column: position.column))
    }

    /// `spec.server.port`: built only for messages.
    func path(of field: Field) -> String { places.path(of: field.number) }

    func newMapReader() -> Int {
        mapReaders += 1
        return mapReaders
    }

    func noteAsked(_ key: String, by reader: Int) {
        if keepsAskedKeys { askedKeys.append((reader, key)) }
    }

    /// The keys `reader` asked for, each once, in the order first asked.
    func keysAsked(by reader: Int) -> [String] {
        var keys: [String] = []
        for asked in askedKeys where asked.reader == reader && !keys.contains(asked.key) {
            keys.append(asked.key)
        }
        return keys
    }
}

/// A field of the document being decoded: its number among the places the context recorded.
/// Its dotted path is built from them only when a message needs it.
struct Field {
    let number: Int32

    /// The document itself (path "").
    static let document = Field(number: -1)
}

/// Field paths as diagnostics print them: `spec.server.port`, `spec.command[2]`.
enum FieldPath {
    static func child(_ parent: String, _ key: String) -> String {
        parent.isEmpty ? key : parent + "." + key
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
