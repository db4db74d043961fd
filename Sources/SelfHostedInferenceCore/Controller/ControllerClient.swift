import AsyncHTTPClient
import Foundation
import InferenceControllerAPI
import InferenceRuntime
import NIOCore

/// The controller's API (`inferctl watch`) over its Unix socket, `DIR/.inferctl/api.sock`.
/// While a controller runs it holds the directory lock: `apply`, `down`, `status`, `ensure` and
/// `InferenceKernel` ask it instead of waiting for the lock.
public enum ControllerClient {
    /// The holder description when a controller holds the directory's lock, else nil (nothing is taken).
    public static func runningController(_ layout: StateLayout) async -> String? {
        guard FileManager.default.fileExists(atPath: layout.lockPath) else { return nil }
        do {
            let lock = try await DirectoryLock.acquire(path: layout.lockPath, timeout: .zero, holderDescription: "inferctl apply")
            lock.release()
            return nil
        } catch let busy as LockTimeout where busy.holder?.contains(DirectoryAccess.controllerHolder) == true {
            return busy.holder
        } catch {
            return nil
        }
    }

    /// The controller's socket cannot be reached, or it answered something that is not its API.
    public struct Unreachable: Error, Sendable, CustomStringConvertible {
        /// What went wrong, for people.
        public let description: String

        /// An unreachable controller, described.
        public init(description: String) {
            self.description = description
        }
    }

    /// `POST /v1/apply` on the controller's socket; the answer once every key has settled.
    public static func apply(_ layout: StateLayout, timeout: Duration, force: Bool = false) async throws -> ApplyAnswer {
        try await settle("/v1/apply", layout, timeout: timeout, query: force ? "&force=true" : "")
    }

    /// `POST /v1/down`: every managed server stopped, the directory held down until the next apply.
    public static func down(_ layout: StateLayout, timeout: Duration) async throws -> ApplyAnswer {
        try await settle("/v1/down", layout, timeout: timeout)
    }

    /// `GET /v1/instances`: every instance's status as the controller sees it now.
    public static func instances(_ layout: StateLayout) async throws -> [InstanceStatus] {
        let body = try await call(post: false, "/v1/instances", layout, timeout: .seconds(30))
        return try JSONCoding.decoder.decode([InstanceStatus].self, from: body)
    }

    private static func settle(_ path: String, _ layout: StateLayout, timeout: Duration, query: String = "") async throws -> ApplyAnswer {
        let seconds = max(1, timeout.components.seconds)
        let body = try await call(post: true, "\(path)?timeout=\(seconds)\(query)", layout, timeout: .seconds(seconds + 30))
        return try JSONCoding.decoder.decode(ApplyAnswer.self, from: body)
    }

    /// An answer that is not 200: the API's status code and its error message.
    public struct Refused: Error, Sendable, Equatable, CustomStringConvertible {
        /// The HTTP status code (404, 409, 503…).
        public let code: UInt
        /// The API's `error.message`, or the body as text when it is not the API's JSON error.
        public let message: String
        /// The API's message.
        public var description: String { message }

        /// A refusal, as answered.
        public init(code: UInt, message: String) {
            self.code = code
            self.message = message
        }
    }

    /// Any route; a non-200 answer throws `Refused` with the API's message, no answer at all
    /// `Unreachable`. `timeout` is how long the route itself may take (30 s more are allowed).
    public static func exchange(_ method: String, _ uri: String, _ layout: StateLayout, body: Data? = nil,
                                timeout: Duration = .seconds(30)) async throws -> Data {
        guard let url = URL(httpURLWithSocketPath: layout.apiSocketPath, uri: uri) else {
            throw Unreachable(description: "cannot address \(layout.apiSocketPath)")
        }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .RAW(value: method)
        if let body {
            request.body = .bytes(ByteBuffer(bytes: body))
            request.headers.add(name: "content-type", value: "application/json")
        }
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .seconds(timeout.components.seconds + 30))
        } catch {
            throw Unreachable(description: "the controller's API at \(layout.apiSocketPath) does not answer: \(error)")
        }
        let answer = try await response.body.collect(upTo: 16 << 20)
        guard response.status == .ok else {
            struct ErrorBody: Decodable { struct Inner: Decodable { let message: String }; let error: Inner }
            let message = (try? JSONDecoder().decode(ErrorBody.self, from: Data(buffer: answer)))?.error.message ?? String(buffer: answer)
            throw Refused(code: response.status.code, message: message)
        }
        return Data(buffer: answer)
    }

    private static func call(post: Bool, _ uri: String, _ layout: StateLayout, timeout: TimeAmount) async throws -> Data {
        guard let url = URL(httpURLWithSocketPath: layout.apiSocketPath, uri: uri) else {
            throw Unreachable(description: "cannot address \(layout.apiSocketPath)")
        }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = post ? .POST : .GET
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(request, timeout: timeout)
        } catch {
            throw Unreachable(description: "the controller's API at \(layout.apiSocketPath) does not answer: \(error)")
        }
        let body = try await response.body.collect(upTo: 16 << 20)
        guard response.status == .ok else {
            throw Unreachable(description: "the controller answered \(response.status.code): \(String(buffer: body))")
        }
        return Data(buffer: body)
    }
}
