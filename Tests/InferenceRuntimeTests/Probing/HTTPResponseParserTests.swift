import Testing
@testable import InferenceRuntime

/// Every way an HTTP/1.1 response ends: a length, chunks, the end of the connection.
@Suite struct HTTPResponseParserTests {
    func parse(_ text: String, atEnd: Bool = false, limit: Int = 1 << 20) -> HTTPResponseParser.Result {
        HTTPResponseParser.parse(Array(text.utf8), atEnd: atEnd, bodyLimit: limit)
    }

    @Test func aLengthEndsTheBody() {
        #expect(parse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok") == .complete(status: 200, body: Array("ok".utf8)))
        #expect(parse("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nok") == .incomplete)
        #expect(parse("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nok", atEnd: true) == .invalid("remote connection closed mid-response"))
        #expect(parse("HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n\r\n") == .complete(status: 503, body: []))
    }

    @Test func chunksAreJoined() {
        let text = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2;x=y\r\nok\r\nA\r\n0123456789\r\n0\r\nTrailer: 1\r\n\r\n"
        #expect(parse(text) == .complete(status: 200, body: Array("ok0123456789".utf8)))
        #expect(parse(String(text.dropLast(2))) == .incomplete)
        #expect(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n") == .invalid("the response's chunked body is malformed"))
    }

    @Test func withoutFramingTheBodyEndsWithTheConnection() {
        #expect(parse("HTTP/1.0 200 OK\r\n\r\nall of it") == .incomplete)
        #expect(parse("HTTP/1.0 200 OK\r\n\r\nall of it", atEnd: true) == .complete(status: 200, body: Array("all of it".utf8)))
    }

    @Test func interimAnswersAreSkipped() {
        #expect(parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n") == .complete(status: 204, body: []))
    }

    @Test func tooLargeAndNotHTTPAreSaidInWords() {
        #expect(parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", limit: 5) == .invalid("the response body is larger than 5 bytes"))
        #expect(parse("SSH-2.0-OpenSSH\r\n\r\n") == .invalid(#"the answer is not an HTTP response (its first line: "SSH-2.0-OpenSSH")"#))
        #expect(parse("", atEnd: true) == .invalid("remote connection closed"))
        #expect(parse("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n") == .invalid(#"the answer is not an HTTP response (its first line: "HTTP/1.1 200 OK")"#))
        // Only the first line, cut at 40 characters, nothing that is not printable.
        #expect(parse("\u{1}\"\(String(repeating: "x", count: 50))\r\nauthorization: Bearer sk-x\r\n\r\n")
                == .invalid(#"the answer is not an HTTP response (its first line: "??"# + String(repeating: "x", count: 38) + #"…")"#))
    }
}
