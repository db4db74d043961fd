import InferenceModel
import Yams

/// Parses a manifest file into positioned documents, with every YAML problem as a diagnostic.
enum YAMLDocumentReader {
    struct Outcome {
        var documents: [YAMLNode] = []
        var diagnostics: [Diagnostic] = []
    }

    static let maximumDocuments = 1000
    /// Values one document may expand to (aliases included); real manifests use a few hundred.
    static let nodeBudgetPerDocument = 100_000
    static let nodeBudgetPerFile = 1_000_000

    static func read(_ text: String, file: String) -> Outcome {
        var outcome = Outcome()
        var fileBudget = nodeBudgetPerFile
        var documentsSeen = 0
        for chunk in DocumentSplitter.split(text) where !chunk.isBlank {
            documentsSeen += 1
            if documentsSeen > maximumDocuments {
                outcome.diagnostics.append(.error(at: SourceLocation(file: file, line: chunk.firstLine, column: 1),
                    "file has more than \(maximumDocuments) documents; the rest were not read",
                    hint: "split the manifests into several files"))
                break
            }
            let source = String(chunk.text)
            let lineOffset = chunk.firstLine - 1
            if let problems = AliasKeyGuard.problems(in: source, file: file, lineOffset: lineOffset) {
                outcome.diagnostics += problems
                continue
            }
            var composer = DuplicateKeyComposer()
            let composed = composer.composeAll(source)
            var builder = PositionedTreeBuilder(file: file, lineOffset: lineOffset, budget: 0, keys: composer)
            for root in composed.roots {
                let budget = min(nodeBudgetPerDocument, max(0, fileBudget))
                builder.remainingBudget = budget
                let duplicatesBefore = builder.duplicateKeyCount
                do {
                    let document = try builder.build(root)
                    if !document.isNull && builder.duplicateKeyCount == duplicatesBefore { outcome.documents.append(document) }
                } catch {
                    outcome.diagnostics.append(.error(at: builder.location(root.mark),
                        "document expands to too many nodes (aliases?)",
                        hint: "more than \(budget) values; nested anchors and aliases multiply the size"))
                }
                fileBudget -= budget - max(0, builder.remainingBudget)
            }
            if let error = composed.error {
                outcome.diagnostics.append(YAMLErrorMapper.diagnostic(for: error, file: file, lineOffset: lineOffset, text: source))
            }
            outcome.diagnostics += builder.diagnostics
        }
        if outcome.documents.isEmpty && outcome.diagnostics.isEmpty {
            outcome.diagnostics.append(.error(at: SourceLocation(file: file, line: 1, column: 1),
                "file has no manifest documents",
                hint: "write apiVersion, kind, metadata and spec, or remove the file"))
        }
        return outcome
    }
}
