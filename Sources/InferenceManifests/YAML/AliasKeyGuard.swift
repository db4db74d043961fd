import InferenceModel
import Yams

/// Keeps Yams' duplicate-key check from hashing an alias bomb.
///
/// Yams hashes every mapping key in full while composing. A key that is an alias of a nested
/// anchor (`? *lol9 : x`) would make that hash exponential before we could count anything.
/// So when a document contains `*`, it is first composed with every `*` replaced by an inert
/// character: no aliases, so no sharing and linear cost. If any key there is a collection or
/// an ex-alias, the document is refused before the real compose.
enum AliasKeyGuard {
    /// A private-use character that can start a plain scalar and never appears in manifests.
    static let inert: Character = "\u{E000}"

    /// nil when the document is safe to compose; otherwise the problems to report instead.
    static func problems(in source: String, file: String, lineOffset: Int) -> [Diagnostic]? {
        guard source.contains("*") else { return nil }
        let defused = String(source.map { $0 == "*" ? inert : $0 })
        var problems: [Diagnostic] = []
        func at(_ mark: Mark?) -> SourceLocation {
            SourceLocation(file: file, line: (mark?.line ?? 1) + lineOffset, column: mark?.column ?? 1)
        }
        // Repeated keys are renamed to get past them here, and reported by the real compose.
        var composer = DuplicateKeyComposer()
        let composed = composer.composeAll(defused)
        for root in composed.roots {
            var pending = [root]
            while let node = pending.popLast() {
                switch node {
                case .mapping(let mapping):
                    for (key, value) in mapping {
                        if case .scalar(let scalar) = key {
                            if scalar.string.first == inert {
                                problems.append(.error(at: at(scalar.mark), "an alias cannot be used as a mapping key",
                                                       hint: "write the key as plain text"))
                            }
                        } else {
                            problems.append(.error(at: at(key.mark), "mapping keys must be plain strings",
                                                   hint: "manifests only use text keys"))
                        }
                        pending.append(value)
                    }
                case .sequence(let sequence):
                    pending.append(contentsOf: sequence)
                case .scalar, .alias:
                    break
                }
            }
        }
        if let error = composed.error {
            return [YAMLErrorMapper.diagnostic(for: error, file: file, lineOffset: lineOffset, text: source)]
        }
        return problems.isEmpty ? nil : problems
    }
}
