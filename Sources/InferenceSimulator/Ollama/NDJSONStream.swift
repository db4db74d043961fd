import Hummingbird

/// Ollama streams as newline-delimited JSON (`application/x-ndjson`), one object per line.
enum NDJSONStream {
    static func response(lines: [ByteBuffer]) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/x-ndjson"
        let body = ResponseBody { writer in
            for var line in lines {
                line.writeString("\n")
                try await writer.write(line)
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }
}
