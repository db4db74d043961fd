import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A response read fully into memory.
struct TestResponse: Sendable {
    let status: Int
    let contentType: String?
    let body: String

    /// The body parsed as a JSON object (fails the caller's `#require` when it is not one).
    var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
    }

    /// Non-empty lines parsed as JSON objects (for Ollama's NDJSON streams).
    var ndjson: [[String: Any]] {
        body.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }

    /// `data:` payloads of a server-sent event stream, `[DONE]` included.
    var serverSentEvents: [String] {
        body.components(separatedBy: "\n\n")
            .filter { !$0.isEmpty }
            .compactMap { event in
                event.split(separator: "\n")
                    .first { $0.hasPrefix("data: ") }
                    .map { String($0.dropFirst("data: ".count)) }
            }
    }
}

/// Minimal HTTP helper around AsyncHTTPClient's shared client.
struct TestHTTP: Sendable {
    let baseURL: String

    func get(_ path: String, headers: [String: String] = [:]) async throws -> TestResponse {
        try await send(.GET, path, body: nil, headers: headers)
    }

    func post(_ path: String, json: String, headers: [String: String] = [:]) async throws -> TestResponse {
        try await send(.POST, path, body: json, headers: headers)
    }

    func delete(_ path: String, json: String) async throws -> TestResponse {
        try await send(.DELETE, path, body: json, headers: [:])
    }

    func send(_ method: HTTPMethod, _ path: String, body: String?, headers: [String: String]) async throws -> TestResponse {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        for (name, value) in headers {
            request.headers.add(name: name, value: value)
        }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 22)
        return TestResponse(
            status: Int(response.status.code),
            contentType: response.headers.first(name: "Content-Type"),
            body: String(buffer: bytes)
        )
    }
}
