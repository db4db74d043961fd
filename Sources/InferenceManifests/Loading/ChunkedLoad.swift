import InferenceModel

/// Decodes a large multi-document text on several threads: cut into runs of whole documents
/// (`DocumentChunks`), each run parsed and decoded apart, the results joined in order.
///
/// The result must be exactly what one pass gives, so it is used only when the runs could not
/// have affected each other: no syntax error in any run (a broken document is resumed after
/// differently), no more documents in all than one file may hold, and the file's alias budget
/// never exhausted. Otherwise nil, and the caller reads the text in one pass.
enum ChunkedLoad {
    /// Below this a text is read in one pass: threads would not pay for themselves.
    static let minimumBytes = 512 * 1024
    /// Several runs per thread, so a thread that finishes early takes another.
    static let runsPerWorker = 8

    static func load(_ text: String, file: String, baseDirectory: String, workers: Int,
                     minimumBytes: Int = minimumBytes) -> LoadedText? {
        var text = text
        return text.withUTF8 { bytes -> LoadedText? in
            guard bytes.count >= minimumBytes,
                  let chunks = DocumentChunks.split(bytes, size: max(1, bytes.count / (workers * runsPerWorker)))
            else { return nil }
            let shared = SharedText(bytes: bytes)
            let runs = OrderedParallelMap.map(chunks.count, workers: workers) { index in
                let chunk = chunks[index]
                // Its own copy of the name: every position holds it, and threads counting references
                // to one shared string would keep taking its cache line from each other.
                let file = String(decoding: Array(file.utf8), as: UTF8.self)
                var loaded = LoadedText()
                let report = YAMLDocumentReader.readPart(UnsafeBufferPointer(rebasing: shared.bytes[chunk.range]),
                                                         firstLine: chunk.firstLine, file: file) { document in
                    loaded.add(DocumentDecoder.decode(document, file: file, baseDirectory: baseDirectory))
                }
                return Run(loaded: loaded, report: report)
            }
            return join(runs, file: file)
        }
    }

    struct Run: Sendable {
        var loaded: LoadedText
        var report: YAMLDocumentReader.PartReport
    }

    /// The runs' objects, then their decoding problems, then their YAML problems: the order one pass
    /// gives. Nil when the runs may differ from one pass.
    static func join(_ runs: [Run], file: String) -> LoadedText? {
        let reports = runs.map(\.report)
        guard !reports.contains(where: { $0.sawSyntaxError || $0.aliasBudgetRanOut }),
              reports.reduce(0, { $0 + $1.documents }) <= YAMLDocumentReader.maximumDocuments,
              reports.reduce(0, { $0 + $1.aliasRepeats }) <= YAMLDocumentReader.aliasBudgetPerFile
        else { return nil }
        var joined = LoadedText()
        for run in runs {
            joined.append(run.loaded)
        }
        let yamlDiagnostics = reports.flatMap(\.diagnostics)
        joined.diagnostics += yamlDiagnostics
        if yamlDiagnostics.isEmpty && !reports.contains(where: \.readAny) {
            joined.diagnostics.append(YAMLDocumentReader.noDocuments(in: file))
        }
        return joined
    }
}

/// A text's bytes shared by the threads decoding it; they live as long as the call that shares them.
private struct SharedText: @unchecked Sendable {
    let bytes: UnsafeBufferPointer<UInt8>
}
