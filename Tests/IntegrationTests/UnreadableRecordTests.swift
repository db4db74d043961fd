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

    /// The plan leaves such an instance out, so it must say so: "No instances declared" was printed instead.
    @Test("plan and apply name the instance left alone for its unreadable record")
    func instanceLeftAloneIsNamed() async throws {
        try await withWorkspace("left-alone") { ws in
            try ws.write("alpha.yaml", SimInstance(name: "alpha").yaml)
            try FileManager.default.createDirectory(atPath: ws.stateDir + "/instances", withIntermediateDirectories: true)
            try "{".write(toFile: ws.recordPath("alpha"), atomically: true, encoding: .utf8)

            let plan = try await ws.inferctl("plan", ws.dir)
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 1, "\(apply)")
            for result in [plan, apply] {
                #expect(!result.stdout.contains("No instances declared"), "\(result)")
                #expect(leftAloneRow("alpha", in: result.stdout), "\(result)")
                #expect(result.stdout.contains("1 instance left alone: its record cannot be read."), "\(result)")
            }

            // Beside an instance that is started, the one left alone is still named.
            try ws.write("beta.yaml", SimInstance(name: "beta").yaml)
            let both = try await ws.inferctl("apply", ws.dir)
            #expect(planRow("beta", in: both.stdout)?.prefix(2) == ["+", "spawn"], "\(both)")
            #expect(leftAloneRow("alpha", in: both.stdout), "\(both)")
            #expect(both.stdout.contains("Apply incomplete: 1 ready, 0 failed, 1 left alone (unreadable record)."), "\(both)")
            #expect(both.status == 1, "\(both)")
            #expect(Processes.running(inDirectory: ws.dir) == [try ws.pid("beta")])

            let down = try await ws.inferctl("down", ws.dir)
            #expect(down.stderr.contains("alpha.json"), "down does not mention the unreadable record: \(down)")
        }
    }

    func leftAloneRow(_ instance: String, in output: String) -> Bool {
        output.split(separator: "\n").contains { line in
            let words = line.split(separator: " ")
            return words.count >= 4 && words[1] == "left" && words[2] == "alone" && words[3] == instance[...]
        }
    }
}
