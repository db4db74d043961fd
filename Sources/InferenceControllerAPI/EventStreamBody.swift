import Foundation
import Hummingbird
import InferenceRuntime

/// `GET /v1/events` as server-sent events: the recent events first, then each new one (and each
/// repeat, with its raised count), one `data:` line of JSON per event. An idle stream sends a
/// comment every `heartbeat`, which keeps proxies from closing it and lets us notice a client
/// that has gone. The stream ends when the controller stops.
enum EventStreamBody {
    static func make(recent: [ControllerEvent], stream: AsyncStream<ControllerEvent>, heartbeat: Duration) -> ResponseBody {
        ResponseBody { writer in
            let (chunks, output) = AsyncStream.makeStream(of: ByteBuffer.self, bufferingPolicy: .bufferingNewest(1000))
            let forward = Task {
                for await event in stream { output.yield(frame(event)) }
                output.finish()
            }
            let beat = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: heartbeat)
                    if Task.isCancelled { break }
                    output.yield(ByteBuffer(string: ": keepalive\n\n"))
                }
            }
            // A client that went away makes a write throw: both tasks end, and so does the subscription.
            defer {
                forward.cancel()
                beat.cancel()
            }
            for event in recent { try await writer.write(frame(event)) }
            for await chunk in chunks { try await writer.write(chunk) }
            try await writer.finish(nil)
        }
    }

    static func frame(_ event: ControllerEvent) -> ByteBuffer {
        let json = (try? EventRecorder.encoder.encode(event)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return ByteBuffer(string: "data: \(json)\n\n")
    }
}
