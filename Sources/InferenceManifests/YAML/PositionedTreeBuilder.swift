import InferenceModel
import Yams

/// Converts Yams' `Node` into `YAMLNode`, keeping every position and counting nodes.
///
/// Yams composes an alias by sharing the anchored value, so a "billion laughs" document is
/// small in memory but exponential to walk. Every node visited is counted against a budget,
/// and the conversion stops as soon as it is spent.
struct PositionedTreeBuilder {
    struct BudgetExceeded: Error {}

    let file: String
    /// Added to Yams' line numbers: the document was parsed on its own, cut from a larger file.
    let lineOffset: Int
    /// Nodes still allowed; set per document.
    var remainingBudget: Int
    /// Turns keys renamed to get past Yams' first duplicate back into what was written.
    let keys: DuplicateKeyComposer
    private(set) var diagnostics: [Diagnostic] = []
    /// Repeated keys found so far: a document with any is left out, as Yams would have refused it.
    private(set) var duplicateKeyCount = 0
    /// A map reached through several aliases is built once per alias: report each repeat once.
    private var reportedDuplicates: Set<SourceLocation> = []

    init(file: String, lineOffset: Int, budget: Int, keys: DuplicateKeyComposer = DuplicateKeyComposer()) {
        self.file = file
        self.lineOffset = lineOffset
        self.remainingBudget = budget
        self.keys = keys
    }

    func location(_ mark: Mark?) -> SourceLocation {
        SourceLocation(file: file, line: (mark?.line ?? 1) + lineOffset, column: mark?.column ?? 1)
    }

    mutating func build(_ node: Node) throws(BudgetExceeded) -> YAMLNode {
        remainingBudget -= 1
        guard remainingBudget >= 0 else { throw BudgetExceeded() }
        switch node {
        case .scalar(let scalar):
            return YAMLNode(content: .scalar(YAMLScalar(text: scalar.string, isPlain: Self.isPlain(scalar))),
                            location: location(scalar.mark))
        case .sequence(let sequence):
            var items: [YAMLNode] = []
            items.reserveCapacity(sequence.count)
            for item in sequence { items.append(try build(item)) }
            return YAMLNode(content: .sequence(items), location: location(sequence.mark))
        case .mapping(let mapping):
            var entries: [YAMLEntry] = []
            entries.reserveCapacity(mapping.count)
            var firstPlaces: [String: SourceLocation] = [:]
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    remainingBudget -= 1
                    diagnostics.append(.error(at: location(key.mark), "mapping keys must be plain strings",
                                              hint: "manifests only use text keys"))
                    continue
                }
                let entry = YAMLEntry(key: keys.originalKey(keyScalar.string), keyLocation: location(keyScalar.mark),
                                      value: try build(value))
                if let first = firstPlaces[entry.key] {
                    reportDuplicate(entry, first: first)
                } else {
                    firstPlaces[entry.key] = entry.keyLocation
                }
                entries.append(entry)
            }
            return YAMLNode(content: .mapping(entries), location: location(mapping.mark))
        case .alias(let alias):
            // Compose resolves aliases itself; an unresolved one is reported rather than followed.
            diagnostics.append(.error(at: location(alias.mark), "unresolved alias '*\(alias.anchor.rawValue)'"))
            return YAMLNode(content: .scalar(YAMLScalar(text: "", isPlain: true)), location: location(alias.mark))
        }
    }

    private mutating func reportDuplicate(_ entry: YAMLEntry, first: SourceLocation) {
        duplicateKeyCount += 1
        guard reportedDuplicates.insert(entry.keyLocation).inserted else { return }
        diagnostics.append(.error(at: entry.keyLocation,
            "duplicate key '\(YAMLNode.abbreviate(entry.key))' in the same map, first at \(first.line):\(first.column)",
            hint: "each key may appear only once; remove or merge the repeated one"))
    }

    /// Untagged plain scalars (and the core-schema tags) are typed: `8080` is a number, `true` a boolean.
    /// Quoted or `!!str` scalars are always strings.
    static func isPlain(_ scalar: Node.Scalar) -> Bool {
        switch Tag.Name(rawValue: scalar.tag.rawValue) {
        case .implicit: return scalar.style == .plain || scalar.style == .any
        case .int, .bool, .null, .float: return true
        default: return false
        }
    }
}
