import Foundation
import Testing

/// A record that cannot be read must be reported, and its instance left alone rather than duplicated.
extension EndToEnd {
    /// With the record of a running server unreadable, starting the instance again would leave the first server
    /// running, unrecorded, out of reach of `down`: plan and apply must say so and start nothing.
    @Test("an unreadable record is reported, not silently skipped")
    func unreadableRecordIsReported() async throws {
        try await withWorkspace("bad-record") { ws in
            try ws.write("alpha.yaml", SimInstance(name: "alpha").yaml)
            let first = try await ws.inferctl("apply", ws.dir)
            #expect(first.status == 0, "\(first)")
            let original = try ws.pid("alpha")
            ws.track(original) // once its record is unreadable, down no longer knows it

            try "{ not json".write(toFile: ws.recordPath("alpha"), atomically: true, encoding: .utf8)
            let plan = try await ws.inferctl("plan", ws.dir)
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(plan.stderr.contains("alpha.json"), "plan does not mention the unreadable record: \(plan)")
            #expect(apply.stderr.contains("alpha.json"), "apply does not mention the unreadable record: \(apply)")
            // Left alone: no second server beside the one whose record is unreadable.
            #expect(apply.status == 1, "\(apply)")
            #expect(Processes.running(inDirectory: ws.dir) == [original])
        }
    }
}
