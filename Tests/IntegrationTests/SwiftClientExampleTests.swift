import Foundation
import Testing

/// examples/swift-client, built with this package (`swift-client-example`), run as a user runs it:
/// the kernel embedded in a program gets an on-demand instance's endpoint under a lease, the
/// program talks to it, renews and releases.
extension EndToEnd {
    static let examplePrompt = "hello from the swift client test"

    func onDemandAssistant(_ ws: Workspace) throws {
        try ws.write("assistant.yaml", documents(SimInstance(name: "assistant-sim", activation: "OnDemand").yaml,
                                                 consumerYAML("assistant", instance: "assistant-sim")))
    }

    /// The example's run, checked: the reply, and the lease it printed released.
    func runExample(_ ws: Workspace) async throws -> String {
        let run = try await BuildProducts.run("swift-client-example", [ws.dir, "assistant", Self.examplePrompt])
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("reply: Simulated reply to: \(Self.examplePrompt)"), "\(run)")
        let reference = try #require(run.stdout.split(separator: "\n").first { $0.hasPrefix("lease ") }?
            .split(separator: " ").dropFirst().first.map { String($0.dropLast()) }, "\(run)")
        #expect(run.stdout.contains("renewed \(reference)"), "\(run)")
        #expect(run.stdout.contains("released \(reference)"), "\(run)")
        let leases = try await ws.inferctl("lease", "list", ws.dir, "-o", "json")
        #expect(leases.status == 0, "\(leases)")
        #expect(!leases.stdout.contains("lease-"), "no lease is left: \(leases)")
        return reference
    }

    @Test("swift-client example without a controller: starts the on-demand instance, chats, renews, releases")
    func swiftClientExampleUnderTheLock() async throws {
        try await withWorkspace("swift-client") { ws in
            try onDemandAssistant(ws)
            _ = try await runExample(ws)
            // The instance it started runs on (in its own session) after the program has exited.
            let pid = try ws.pid("assistant-sim")
            #expect(Processes.isAlive(pid))
            #expect(try ws.consumerStatus("assistant").bool("ready") == true)
        }
    }

    @Test("swift-client example through a running controller (its API socket)")
    func swiftClientExampleThroughTheController() async throws {
        try await withWorkspace("swift-client-watch") { ws in
            try onDemandAssistant(ws)
            let watcher = try Watcher(ws)
            try await eventually("the controller's API socket", timeout: .seconds(30)) { ws.exists(ws.stateDir + "/api.sock") }
            let reference = try await runExample(ws)
            let events = try String(contentsOfFile: ws.stateDir + "/events.jsonl", encoding: .utf8)
            #expect(events.contains("LeaseAcquired") && events.contains(reference), "the controller handed out the lease: \(events)")
            #expect(events.contains("LeaseReleased"), "\(events)")
            let stopped = try await watcher.stop()
            #expect(stopped.status == 0, "\(stopped)")
        }
    }
}
