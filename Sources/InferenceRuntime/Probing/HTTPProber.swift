import AsyncHTTPClient
import Foundation
import InferenceBackends
import NIOCore
import NIOHTTP1

/// Sends one probe request. A protocol so readiness logic is tested with canned answers.
public protocol HTTPProber: Sendable {
    func send(_ request: ProbeRequest, headers: [String: String], timeout: Duration) async -> ProbeResponse
}

/// The real prober, on AsyncHTTPClient's shared client.
public struct AsyncHTTPProber: HTTPProber {
    /// Bodies we read are small JSON documents; anything larger is cut.
    static let bodyLimit = 1 << 20

    public init() {}

    /// One client for every probe. A refused connection must fail at once, not be retried until the
    /// request deadline (AsyncHTTPClient's default): a server that is not listening yet is exactly what
    /// readiness probing expects to see, and the next probe follows within milliseconds.
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(1)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    public func send(_ probe: ProbeRequest, headers: [String: String], timeout: Duration) async -> ProbeResponse {
        var request = HTTPClientRequest(url: probe.url)
        request.method = probe.method == .post ? .POST : .GET
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body = probe.body {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        do {
            let response = try await Self.client.execute(request, timeout: .milliseconds(timeout.milliseconds))
            let buffer = try await response.body.collect(upTo: Self.bodyLimit)
            return .answered(status: Int(response.status.code), body: String(buffer: buffer))
        } catch {
            return .unreachable(Self.describe(error, headerValues: headers.values))
        }
    }

    /// Transport errors in words a person recognises, never holding a header value: the text goes into
    /// messages, records and status files, and our headers carry API keys.
    static func describe(_ error: Error, headerValues: some Sequence<String>) -> String {
        // AsyncHTTPClient's `description` repeats associated values — for an invalid header, the whole
        // `Bearer …` value. Its `shortDescription` never holds one.
        let text = (error as? HTTPClientError).map(describe) ?? String(describing: error)
        if text.contains("refused") || text.contains("ECONNREFUSED") { return "connection refused" }
        let lowered = text.lowercased()
        if lowered.contains("timeout") || lowered.contains("deadline") { return "timed out" }
        if text.contains("reset") { return "connection reset" }
        // A server or library may quote the token alone, without its `Bearer ` scheme.
        return SecretRedactor.redact(text, values: headerValues.map { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : $0 })
    }

    static func describe(_ error: HTTPClientError) -> String {
        if error.shortDescription == "Invalid header field values" {
            return "a request header value is not valid HTTP (the value is not shown: it may be a secret)"
        }
        return error.shortDescription.lowercased()
    }
}

extension Duration {
    var milliseconds: Int64 {
        let parts = components
        return parts.seconds * 1000 + parts.attoseconds / 1_000_000_000_000_000
    }
}
