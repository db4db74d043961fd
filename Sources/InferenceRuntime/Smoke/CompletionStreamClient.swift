import AsyncHTTPClient
import NIOCore

/// A piece of a streamed answer, in the order it came.
public enum StreamedPiece: Sendable, Equatable {
    case status(Int)
    case body([UInt8])
}

/// Sends one streamed request. A protocol so smoke completions are tested with made-up streams.
public protocol CompletionStreamClient: Sendable {
    /// POSTs `jsonBody` and hands the answer to `receive` as it arrives: the status, then each
    /// piece of the body. `receive` answers false to stop reading (the completion is over).
    /// Returns when the body ends; throws on a transport failure and when the task is cancelled.
    func post(_ url: String, jsonBody: String, headers: [String: String],
              receive: (StreamedPiece) -> Bool) async throws
}

/// The real client, on AsyncHTTPClient's shared client (as the prober is).
public struct AsyncHTTPCompletionStreamClient: CompletionStreamClient {
    public init() {}

    public func post(_ url: String, jsonBody: String, headers: [String: String],
                     receive: (StreamedPiece) -> Bool) async throws {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "accept", value: "text/event-stream")
        request.body = .bytes(ByteBuffer(string: jsonBody))
        // No deadline here: the caller bounds the whole exchange, the body included (a client
        // deadline would only bound the wait for the response head).
        let response = try await AsyncHTTPProber.client.execute(request, timeout: .hours(24))
        guard receive(.status(Int(response.status.code))) else { return }
        for try await buffer in response.body {
            guard receive(.body(Array(buffer.readableBytesView))) else { return }
        }
    }
}
