import InferenceModel
import Yams

/// Composes YAML that may repeat a key in a map, so that every repeat can be reported.
///
/// Yams stops at the first map with a repeated key and names one place. So each time it does,
/// the occurrence it names is renamed in the text: its first character is replaced by a unique
/// private-use marker (one Unicode scalar for one, so every line and column stays put), and the
/// text is composed again. The tree builder turns markers back into the written keys
/// (`originalKey(_:)`) and reports each repeat at its own position.
struct DuplicateKeyComposer {
    struct Composed {
        var roots: [Node] = []
        /// The error that ended composing, if any: a syntax error, or a repeat that could not be renamed.
        var error: Error?
    }

    /// The first marker (AliasKeyGuard's marker is U+E000).
    static let firstMarker: UInt32 = 0xE001
    /// Each rename composes the text again, so renames are capped, and fewer for big documents.
    /// Past the cap, Yams' own error (one repeat) is reported: only hostile files get there.
    static let maximumRenames = 256
    static let recomposedTextBudget = 1024 * 1024

    /// Marker scalar to the key it replaced the first character of.
    private(set) var renamedKeys: [Unicode.Scalar: String] = [:]

    mutating func composeAll(_ source: String) -> Composed {
        let renameLimit = min(Self.maximumRenames, Self.recomposedTextBudget / max(1, source.utf8.count))
        var text = source
        while true {
            var composed = Composed()
            do {
                var documents = try compose_all(yaml: text)
                while let root = documents.next() { composed.roots.append(root) }
                composed.error = documents.error
            } catch {
                composed.error = error
            }
            guard let error = composed.error, renamedKeys.count < renameLimit,
                  let renamed = renamingRepeat(named: error, in: text) else { return composed }
            text = renamed
        }
    }

    /// The key a marker stands for, or the key itself.
    func originalKey(_ key: String) -> String {
        guard let first = key.unicodeScalars.first, let original = renamedKeys[first] else { return key }
        return original
    }

    /// `text` with the key named by a duplicate-key error renamed, or nil for any other error, or
    /// when the key is not written in a form this can rename (then Yams' own error is reported).
    private mutating func renamingRepeat(named error: Error, in text: String) -> String? {
        guard case .duplicatedKeysInMapping(let duplicates, let context)? = error as? YamlError,
              let key = duplicates.first, !key.isEmpty,
              let marker = Unicode.Scalar(Self.firstMarker + UInt32(renamedKeys.count)) else { return nil }
        var scalars = Array(text.unicodeScalars)
        guard let start = Self.offset(line: context.mark.line, column: context.mark.column, in: scalars) else { return nil }
        // A quoted key is renamed inside its quotes; anything else (tags, block scalars, collections) is left to Yams.
        let written = scalars[start] == "\"" || scalars[start] == "'" ? start + 1 : start
        guard written < scalars.count, scalars[written] == key.unicodeScalars.first,
              Self.canStartPlainKey(scalars[written]) else { return nil }
        scalars[written] = marker
        renamedKeys[marker] = key
        var renamed = String.UnicodeScalarView()
        renamed.append(contentsOf: scalars)
        return String(renamed)
    }

    /// Letters, digits and `_ . / $`: characters that start a key the same way quoted or not.
    private static func canStartPlainKey(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "_./$".unicodeScalars.contains(scalar)
    }

    /// Index of a 1-based line and column (in Unicode scalars, as libyaml counts) in `scalars`.
    private static func offset(line: Int, column: Int, in scalars: [Unicode.Scalar]) -> Int? {
        var index = 0
        var currentLine = 1
        while currentLine < line {
            guard let newline = scalars[index...].firstIndex(of: "\n") else { return nil }
            index = newline + 1
            currentLine += 1
        }
        let target = index + column - 1
        guard column >= 1, target < scalars.count, !scalars[index..<target].contains("\n") else { return nil }
        return target
    }
}
