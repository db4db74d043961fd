import AsyncHTTPClient
import Foundation
import InferenceControllerAPI
import NIOCore
import SelfHostedInferenceCore

/// `apply` while `inferctl watch` runs on the directory: instead of waiting for the lock the
/// controller holds, ask it (over its Unix socket) to reconcile everything now.
enum ControllerClient {
    /// The holder description when a controller holds DIR's lock, else nil (nothing is taken).
    static func runningController(_ layout: StateLayout) async -> String? {
        guard FileManager.default.fileExists(atPath: layout.lockPath) else { return nil }
        do {
            let lock = try await DirectoryLock.acquire(path: layout.lockPath, timeout: .zero, holderDescription: "inferctl apply")
            lock.release()
            return nil
        } catch let busy as LockTimeout where busy.holder?.contains(CommandLock.controllerHolder) == true {
            return busy.holder
        } catch {
            return nil
        }
    }

    struct Unreachable: Error, CustomStringConvertible {
        let description: String
    }

    /// `POST /v1/apply` on the controller's socket; the answer once every key has settled.
    static func apply(_ layout: StateLayout, timeout: Duration) async throws -> ApplyAnswer {
        guard let url = URL(httpURLWithSocketPath: layout.apiSocketPath, uri: "/v1/apply?timeout=\(timeout.components.seconds)") else {
            throw Unreachable(description: "cannot address \(layout.apiSocketPath)")
        }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .seconds(timeout.components.seconds + 30))
        } catch {
            throw Unreachable(description: "the controller's API at \(layout.apiSocketPath) does not answer: \(error)")
        }
        let body = try await response.body.collect(upTo: 16 << 20)
        guard response.status == .ok else {
            throw Unreachable(description: "the controller answered \(response.status.code): \(String(buffer: body))")
        }
        return try JSONCoding.decoder.decode(ApplyAnswer.self, from: Data(buffer: body))
    }
}
