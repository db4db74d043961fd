import Hummingbird

/// `text/event-stream` responses as OpenAI streams them: `data: <json>\n\n`
/// per event, then `data: [DONE]\n\n`.
enum ServerSentEvents {
    static func response(events: [ByteBuffer]) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        let body = ResponseBody { writer in
            // One write per event so clients see each chunk as it is produced.
            for event in events {
                try await writer.write(frame(event))
            }
            try await writer.write(ByteBuffer(string: "data: [DONE]\n\n"))
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    /// A stream that starts (headers, then `events`) and then generates nothing: a hung
    /// generation. It ends, unfinished, only when the server shuts down.
    static func stalled(after events: [ByteBuffer]) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        let body = ResponseBody { writer in
            for event in events {
                try await writer.write(frame(event))
            }
            await GenerationHang.hang()
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    private static func frame(_ payload: ByteBuffer) -> ByteBuffer {
        var buffer = ByteBuffer(string: "data: ")
        var payload = payload
        buffer.writeBuffer(&payload)
        buffer.writeString("\n\n")
        return buffer
    }
}
