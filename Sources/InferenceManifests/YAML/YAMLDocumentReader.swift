import InferenceModel

/// Parses a manifest file into positioned documents, with every YAML problem as a diagnostic.
///
/// One libyaml parser reads the whole file. After a syntax error it resumes at the next `---`
/// line past the start of the broken document, so one broken document does not hide the others:
/// that is sound because YAML forbids `---` at the start of a line inside any scalar.
enum YAMLDocumentReader {
    static let maximumDocuments = 100_000
    /// Values one document may hold, aliases expanded; real manifests use a few hundred.
    static let nodeBudgetPerDocument = 100_000
    /// Values aliases may repeat in one file. What is written is bounded by the file size already.
    static let aliasBudgetPerFile = 1_000_000

    /// Hands each document to `body` as soon as it is read (so a large file is never held as trees),
    /// and returns the problems found.
    static func read(_ text: String, file: String, each body: (YAMLNode) -> Void) -> [Diagnostic] {
        var text = text
        let report = text.withUTF8 { bytes in
            readPart(bytes, firstLine: 1, file: file, each: body)
        }
        return report.diagnostics + (report.readAny || !report.diagnostics.isEmpty ? [] : [noDocuments(in: file)])
    }

    static func noDocuments(in file: String) -> Diagnostic {
        .error(at: SourceLocation(file: file, line: 1, column: 1), "file has no manifest documents",
               hint: "write apiVersion, kind, metadata and spec, or remove the file")
    }

    /// What reading a run of documents found, beyond the documents themselves.
    struct PartReport {
        var diagnostics: [Diagnostic]
        /// Documents that were not empty.
        var documents: Int
        var readAny: Bool
        var sawSyntaxError: Bool
        /// Values the file's alias budget paid for, and whether it ran out.
        var aliasRepeats: Int
        var aliasBudgetRanOut: Bool
    }

    /// Reads `bytes`, whole lines of a file starting at line `firstLine`, with its own budgets.
    static func readPart(_ bytes: UnsafeBufferPointer<UInt8>, firstLine: Int, file: String,
                         each body: (YAMLNode) -> Void) -> PartReport {
        var reading = FileReading(bytes: bytes, file: file)
        reading.run(from: TextWindow(offset: 0, firstLine: firstLine), body)
        return PartReport(diagnostics: reading.diagnostics, documents: reading.documentsSeen, readAny: reading.readAny,
                          sawSyntaxError: reading.sawSyntaxError,
                          aliasRepeats: YAMLDocumentReader.aliasBudgetPerFile - reading.aliasBudget,
                          aliasBudgetRanOut: reading.aliasBudgetRanOut)
    }
}

/// The state of reading one file: where the current parser started, documents and budgets so far.
private struct FileReading {
    let bytes: UnsafeBufferPointer<UInt8>
    let file: String
    var diagnostics: [Diagnostic] = []
    var documentsSeen = 0
    var aliasBudget = YAMLDocumentReader.aliasBudgetPerFile
    var aliasBudgetRanOut = false
    var readAny = false
    var sawSyntaxError = false

    init(bytes: UnsafeBufferPointer<UInt8>, file: String) {
        self.bytes = bytes
        self.file = file
    }

    mutating func run(from start: TextWindow, _ body: (YAMLNode) -> Void) {
        var window = start
        while let next = parse(from: window, body) {
            window = next
        }
    }

    /// Parses from `window` to the end, or to a syntax error: then the window to resume from, if any.
    mutating func parse(from window: TextWindow, _ body: (YAMLNode) -> Void) -> TextWindow? {
        let slice = UnsafeBufferPointer(rebasing: bytes[window.offset...])
        let parser = LibYAMLEventParser(slice)
        var builder = DocumentBuilder(file: file, lineOffset: window.firstLine - 1,
                                      documentBudget: YAMLDocumentReader.nodeBudgetPerDocument, aliasBudget: aliasBudget)
        defer {
            aliasBudget = builder.aliasBudget
            aliasBudgetRanOut = aliasBudgetRanOut || builder.aliasBudgetRanOut
            diagnostics += builder.diagnostics
        }
        // Line (in this window) of the last document begun: a syntax error resumes past it.
        var documentLine = 1
        while true {
            let event: YAMLEvent
            do {
                event = try parser.next()
            } catch {
                sawSyntaxError = true
                diagnostics.append(YAMLErrorMapper.diagnostic(for: error, file: file, window: window, in: bytes))
                return window.nextDocument(afterLine: documentLine, in: bytes)
            }
            switch event {
            case .streamEnd:
                return nil
            case .documentStart(let at):
                documentLine = at.line
                builder.startDocument(at: at)
            case .documentEnd:
                let start = builder.documentStart ?? TextPosition(line: 1, column: 1)
                let (document, isEmpty) = builder.endDocument()
                if isEmpty { continue }
                documentsSeen += 1
                readAny = true
                if documentsSeen > YAMLDocumentReader.maximumDocuments {
                    diagnostics.append(.error(at: builder.location(start),
                        "file has more than \(YAMLDocumentReader.maximumDocuments) documents; the rest were not read",
                        hint: "split the manifests into several files"))
                    return nil
                }
                if let document { body(document.root) }
            default:
                builder.handle(event)
            }
        }
    }
}

/// Where a parser starts: a byte offset of the file, at the start of a line.
struct TextWindow {
    var offset: Int
    var firstLine: Int

    /// The next line starting a document (`---`) after `line` (counted from this window's start).
    func nextDocument(afterLine line: Int, in bytes: UnsafeBufferPointer<UInt8>) -> TextWindow? {
        var index = offset
        var lineNumber = 1
        while index < bytes.count {
            if lineNumber > line && Self.startsDocument(bytes, at: index) {
                return TextWindow(offset: index, firstLine: firstLine + lineNumber - 1)
            }
            guard let newline = Self.lineEnd(bytes, from: index) else { return nil }
            index = newline + 1
            lineNumber += 1
        }
        return nil
    }

    /// The text of `line` (counted from this window's start), for hints.
    func text(ofLine line: Int, in bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var index = offset
        for _ in 1..<max(1, line) {
            guard let newline = Self.lineEnd(bytes, from: index) else { return nil }
            index = newline + 1
        }
        guard index <= bytes.count else { return nil }
        let end = Self.lineEnd(bytes, from: index) ?? bytes.count
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self)
    }

    private static func lineEnd(_ bytes: UnsafeBufferPointer<UInt8>, from index: Int) -> Int? {
        var index = index
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\n") { return index }
            index += 1
        }
        return nil
    }

    private static func startsDocument(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        let dash = UInt8(ascii: "-")
        guard index + 3 <= bytes.count, bytes[index] == dash, bytes[index + 1] == dash, bytes[index + 2] == dash else {
            return false
        }
        guard index + 3 < bytes.count else { return true }
        return [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n")].contains(bytes[index + 3])
    }
}
