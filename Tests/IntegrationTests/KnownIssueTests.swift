import Foundation
import Testing

/// Behaviour the code or docs promise that the product does not deliver yet. Each is wrapped in
/// `withKnownIssue`: the suite stays green, and once the bug is fixed the test reports
/// "known issue was not recorded", the cue to drop the wrapper.
extension EndToEnd {
    /// FileStateStore.loadRecords (Sources/InferenceRuntime/State/StateStore.swift) documents that "records that
    /// cannot be read are skipped with a warning", but it skips them silently (`try?` in a `compactMap`). With the
    /// record of a running server unreadable, plan says `+ spawn ... new instance` and apply starts a second server,
    /// leaving the first one running, unrecorded, out of reach of `down` — and nobody is told why.
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
            withKnownIssue("unreadable records are skipped without a warning") {
                #expect(plan.stderr.contains("alpha.json"), "plan does not mention the unreadable record: \(plan)")
                #expect(apply.stderr.contains("alpha.json"), "apply does not mention the unreadable record: \(apply)")
            }
        }
    }
}
