import Foundation

/// Cuts a multi-document text into runs of whole documents at `---` lines, each with the line it
/// starts on, so the runs can be parsed apart and still report the file's lines.
///
/// YAML forbids `---` at the start of a line inside any value, so such a line always starts a
/// document. Lines are counted at `\n`; a text with other line breaks libyaml also counts (`\r`,
/// U+0085, U+2028, U+2029), or a byte order mark past its start, is not cut at all.
enum DocumentChunks {
    struct Chunk: Equatable {
        var range: Range<Int>
        var firstLine: Int
    }

    /// Runs of about `size` bytes or more, or nil when the text cannot be cut exactly (or is one run).
    static func split(_ bytes: UnsafeBufferPointer<UInt8>, size: Int) -> [Chunk]? {
        guard bytes.count > size, countsLinesAtNewlinesOnly(bytes) else { return nil }
        var chunks: [Chunk] = []
        var start = 0
        var line = 1
        while let cut = documentStart(in: bytes, from: start + max(size, 1)) {
            chunks.append(Chunk(range: start..<cut, firstLine: line))
            line += newlines(in: bytes, start..<cut)
            start = cut
        }
        chunks.append(Chunk(range: start..<bytes.count, firstLine: line))
        return chunks.count > 1 ? chunks : nil
    }

    /// The first line at or after `position` that starts with `---` followed by a blank or the end.
    static func documentStart(in bytes: UnsafeBufferPointer<UInt8>, from position: Int) -> Int? {
        var lineEnd = position - 1
        while lineEnd + 1 < bytes.count, let newline = find(UInt8(ascii: "\n"), in: bytes, from: lineEnd + 1) {
            let start = newline + 1
            if startsDocument(bytes, at: start) { return start }
            lineEnd = newline
        }
        return nil
    }

    private static func startsDocument(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        let dash = UInt8(ascii: "-")
        guard index + 3 <= bytes.count, bytes[index] == dash, bytes[index + 1] == dash, bytes[index + 2] == dash else {
            return false
        }
        guard index + 3 < bytes.count else { return true }
        let next = bytes[index + 3]
        return next == UInt8(ascii: " ") || next == UInt8(ascii: "\t") || next == UInt8(ascii: "\n")
    }

    /// No `\r`, NEL, LS or PS (libyaml counts each as a line break), no byte order mark but the first.
    static func countsLinesAtNewlinesOnly(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if find(UInt8(ascii: "\r"), in: bytes, from: 0) != nil { return false }
        return !occurs([0xC2, 0x85], in: bytes, from: 0) && !occurs([0xE2, 0x80, 0xA8], in: bytes, from: 0)
            && !occurs([0xE2, 0x80, 0xA9], in: bytes, from: 0) && !occurs([0xEF, 0xBB, 0xBF], in: bytes, from: 1)
    }

    private static func occurs(_ sequence: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        var position = start
        while let found = find(sequence[0], in: bytes, from: position) {
            if found + sequence.count <= bytes.count,
               sequence.indices.allSatisfy({ bytes[found + $0] == sequence[$0] }) { return true }
            position = found + 1
        }
        return false
    }

    static func newlines(in bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int {
        var count = 0
        var position = range.lowerBound
        while position < range.upperBound, let newline = find(UInt8(ascii: "\n"), in: bytes, from: position),
              newline < range.upperBound {
            count += 1
            position = newline + 1
        }
        return count
    }

    /// memchr: these scans cover whole files, and a byte loop is slow in a debug build.
    private static func find(_ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard start < bytes.count, let base = bytes.baseAddress,
              let found = memchr(base + start, Int32(byte), bytes.count - start) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }
}
