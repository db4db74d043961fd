import Foundation
import Testing

/// Under `inferctl watch`, a real llama-server killed with SIGKILL comes back, and so does its
/// consumer's descriptor, pointing at a server that answers.
extension RealLlamaServer {
    @Test("watch: llama-server killed with SIGKILL is restarted; the consumer's descriptor goes and comes back")
    func killedServerComesBack() async throws {
        let real = try RealBackends.require()
        try await withWorkspace("real-watch") { ws in
            try ws.write("gemma.yaml", RealLlamaServer.gemmaYAML("gemma", real, more: "  restart: {policy: OnFailure, backoff: 200ms}\n")
                + "---\n" + consumerYAML("agent", instance: "gemma"))
            let watcher = try Watcher(ws)
            let first = try await WatchTests.readyPID(ws, "gemma", timeout: .seconds(120))
            let before = try await Self.readyEndpoint(ws)
            _ = try await Self.chat(before)

            kill(first, SIGKILL)
            try await eventually("the descriptor withdrawn", timeout: .seconds(30)) {
                (try? ws.consumerStatus("agent"))?.bool("ready") == false
            }
            let second = try await WatchTests.readyPID(ws, "gemma", not: first, timeout: .seconds(120))
            ws.track(second)
            let after = try await Self.readyEndpoint(ws)
            #expect(after == before, "port auto is kept across restarts")
            _ = try await Self.chat(after)
            #expect(try ws.instanceStatus("gemma").int("restarts") == 1)

            let stopped = try await watcher.stop()
            #expect(stopped.status == 0, "\(stopped)")
        }
    }

    /// The base URL of `agent`'s descriptor once it is ready again.
    static func readyEndpoint(_ ws: Workspace) async throws -> String {
        var baseURL = ""
        try await eventually("agent's descriptor", timeout: .seconds(30)) {
            guard let status = try? ws.consumerStatus("agent"), status.bool("ready") == true,
                  let url = status.string("endpoint.base_url") else { return false }
            baseURL = url
            return true
        }
        return baseURL
    }
}
