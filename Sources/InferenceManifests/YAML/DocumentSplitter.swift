/// Cuts a YAML stream into its documents at `---` lines, so that a syntax error in one
/// document does not hide the problems of the others.
///
/// This is sound because YAML forbids `---` at the start of a line inside any scalar:
/// such a line always starts a document. Directive lines (`%YAML`) just before the marker
/// belong to the document that follows.
enum DocumentSplitter {
    struct Chunk {
        var text: Substring
        /// Line number (1-based) of the chunk's first line in the file.
        var firstLine: Int
        /// Nothing but blank lines, comments and markers: an empty document, skipped.
        var isBlank: Bool
    }

    static func split(_ text: String) -> [Chunk] {
        var chunks: [Chunk] = []
        var chunkStart = text.startIndex
        var chunkFirstLine = 1
        var chunkBlank = true
        // Start of a run of directive lines, which moves with the next marker.
        var directivesStart: (index: String.Index, line: Int)?
        var lineNumber = 1
        var lineStart = text.startIndex

        func close(at end: String.Index) {
            chunks.append(Chunk(text: text[chunkStart..<end], firstLine: chunkFirstLine, isBlank: chunkBlank))
        }

        while lineStart < text.endIndex {
            let lineEnd = text[lineStart...].firstIndex(where: { $0 == "\n" || $0 == "\r\n" }) ?? text.endIndex
            let line = text[lineStart..<lineEnd]
            if isDocumentStart(line) {
                let cut = directivesStart ?? (lineStart, lineNumber)
                if cut.index > chunkStart { close(at: cut.index) }
                chunkStart = cut.index
                chunkFirstLine = cut.line
                chunkBlank = line.dropFirst(3).allSatisfy { $0 == " " || $0 == "\t" }
                directivesStart = nil
            } else if line.hasPrefix("%") {
                if directivesStart == nil { directivesStart = (lineStart, lineNumber) }
            } else {
                if !isBlankOrComment(line) && !isDocumentEnd(line) { chunkBlank = false }
                if !isBlankOrComment(line) { directivesStart = nil }
            }
            lineNumber += 1
            lineStart = lineEnd < text.endIndex ? text.index(after: lineEnd) : text.endIndex
        }
        if chunkStart < text.endIndex || chunks.isEmpty { close(at: text.endIndex) }
        return chunks
    }

    static func isDocumentStart(_ line: Substring) -> Bool {
        guard line.hasPrefix("---") else { return false }
        let rest = line.dropFirst(3)
        return rest.isEmpty || rest.first == " " || rest.first == "\t"
    }

    static func isDocumentEnd(_ line: Substring) -> Bool {
        guard line.hasPrefix("...") else { return false }
        return line.dropFirst(3).allSatisfy { $0 == " " || $0 == "\t" }
    }

    static func isBlankOrComment(_ line: Substring) -> Bool {
        let content = line.drop { $0 == " " || $0 == "\t" || $0 == "\r" }
        return content.isEmpty || content.first == "#"
    }
}
