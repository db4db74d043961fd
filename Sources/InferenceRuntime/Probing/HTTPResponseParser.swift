/// Reads an HTTP/1.1 response from the bytes received so far. Pure, so every framing (a length,
/// chunks, the end of the connection) is tested on canned bytes.
enum HTTPResponseParser {
    enum Result: Equatable {
        /// More bytes are needed.
        case incomplete
        case complete(status: Int, body: [UInt8])
        /// Not a response we can read; the text says why, in words for a status file.
        case invalid(String)
    }

    static let headerLimit = 64 * 1024

    /// `atEnd`: the server has closed its side, nothing more will come.
    static func parse(_ bytes: [UInt8], atEnd: Bool, bodyLimit: Int) -> Result {
        var start = 0
        while true {
            guard let headerEnd = find([13, 10, 13, 10], in: bytes[...], from: start) else {
                if bytes.count - start > headerLimit { return .invalid("the response headers are too large") }
                return atEnd ? .invalid(bytes.isEmpty ? "remote connection closed" : "remote connection closed mid-response") : .incomplete
            }
            guard let head = Head(bytes[start..<headerEnd]) else { return .invalid(notHTTP(bytes[start..<headerEnd])) }
            let bodyStart = headerEnd + 4
            // Interim answers (100 Continue) come before the real one.
            if (100...199).contains(head.status) && head.status != 101 {
                start = bodyStart
                continue
            }
            return body(of: head, bytes[bodyStart...], atEnd: atEnd, bodyLimit: bodyLimit)
        }
    }

    private static func body(of head: Head, _ rest: ArraySlice<UInt8>, atEnd: Bool, bodyLimit: Int) -> Result {
        let tooLarge = Result.invalid("the response body is larger than \(bodyLimit) bytes")
        if head.status == 204 || head.status == 304 { return .complete(status: head.status, body: []) }
        if head.chunked {
            switch dechunk(rest, bodyLimit: bodyLimit) {
            case .done(let body): return .complete(status: head.status, body: body)
            case .needMore: return atEnd ? .invalid("remote connection closed mid-response") : .incomplete
            case .tooLarge: return tooLarge
            case .malformed: return .invalid("the response's chunked body is malformed")
            }
        }
        if let length = head.contentLength {
            if length > bodyLimit { return tooLarge }
            if rest.count >= length { return .complete(status: head.status, body: Array(rest.prefix(length))) }
            return atEnd ? .invalid("remote connection closed mid-response") : .incomplete
        }
        // Neither a length nor chunks: the body ends with the connection.
        if rest.count > bodyLimit { return tooLarge }
        return atEnd ? .complete(status: head.status, body: Array(rest)) : .incomplete
    }

    /// Says what came instead, by its first line only (a status line or another protocol's banner;
    /// never a header, which could echo a key): printable ASCII, at most 40 characters.
    static func notHTTP(_ head: ArraySlice<UInt8>) -> String {
        let firstLine = head.prefix { $0 != 13 && $0 != 10 }
        let shown = String(decoding: firstLine.prefix(40).map { (0x20...0x7E).contains($0) && $0 != 0x22 ? $0 : 0x3F }, as: UTF8.self)
        return "the answer is not an HTTP response (its first line: \"\(shown)\(firstLine.count > 40 ? "…" : "")\")"
    }

    /// The status line and the headers that frame the body.
    struct Head {
        var status: Int
        var contentLength: Int?
        var chunked = false

        init?(_ block: ArraySlice<UInt8>) {
            let lines = block.split(separator: 10, omittingEmptySubsequences: false).map { line in
                line.last == 13 ? line.dropLast() : line
            }
            guard let statusLine = lines.first, statusLine.starts(with: Array("HTTP/1.".utf8)) else { return nil }
            let fields = statusLine.split(separator: 32, maxSplits: 2, omittingEmptySubsequences: true)
            guard fields.count >= 2, fields[1].count == 3, let code = Int(String(decoding: fields[1], as: UTF8.self)),
                  (100...599).contains(code) else { return nil }
            status = code
            for line in lines.dropFirst() {
                guard let colon = line.firstIndex(of: 58) else { continue }
                let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
                let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingSpaces.lowercased()
                if name == "content-length" {
                    guard let length = Int(value), length >= 0 else { return nil }
                    contentLength = length
                } else if name == "transfer-encoding" {
                    chunked = value.split(separator: ",").last.map { $0.trimmingSpaces == "chunked" } ?? false
                }
            }
        }
    }

    enum Chunks: Equatable {
        case done([UInt8])
        case needMore
        case tooLarge
        case malformed
    }

    /// `SIZE[;ext]\r\n DATA \r\n` … `0\r\n` (trailers) `\r\n`.
    static func dechunk(_ bytes: ArraySlice<UInt8>, bodyLimit: Int) -> Chunks {
        var body: [UInt8] = []
        var index = bytes.startIndex
        while true {
            guard let lineEnd = find([13, 10], in: bytes, from: index) else { return .needMore }
            let sizeText = bytes[index..<lineEnd].prefix { $0 != 59 } // up to an extension's ';'
            guard let size = Int(String(decoding: sizeText, as: UTF8.self).trimmingSpaces, radix: 16), size >= 0 else {
                return .malformed
            }
            let dataStart = lineEnd + 2
            if size == 0 {
                // Trailers, if any, end with an empty line.
                var cursor = dataStart
                while true {
                    guard let end = find([13, 10], in: bytes, from: cursor) else { return .needMore }
                    if end == cursor { return .done(body) }
                    cursor = end + 2
                }
            }
            guard body.count + size <= bodyLimit else { return .tooLarge }
            guard bytes.endIndex - dataStart >= size + 2 else { return .needMore }
            guard bytes[dataStart + size] == 13, bytes[dataStart + size + 1] == 10 else { return .malformed }
            body.append(contentsOf: bytes[dataStart..<(dataStart + size)])
            index = dataStart + size + 2
        }
    }

    /// The first index of `needle` in `bytes` at or after `start`.
    static func find(_ needle: [UInt8], in bytes: ArraySlice<UInt8>, from start: Int) -> Int? {
        var index = start
        while index + needle.count <= bytes.endIndex {
            if bytes[index] == needle[0] && bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
