import Foundation
import Testing

/// SIGKILL of `apply` at random instants, many inside the spawn window (widened by the
/// `INFERCTL_FAULT_SPAWN_PAUSE_MS` hook), then `apply` and `down` must converge: 0 orphans,
/// 0 duplicates, 0 unparsable files, every run. `INFERCTL_FAULT_RUNS=N` runs more (on demand);
/// the normal test run keeps it small for 2 cores.
@Suite("fault injection", .serialized, .timeLimit(.minutes(60)))
struct FaultInjectionTests {
    static let instances = 5

    static var runs: Int {
        ProcessInfo.processInfo.environment["INFERCTL_FAULT_RUNS"].flatMap(Int.init) ?? 6
    }

    struct Tally: CustomStringConvertible {
        var runs = 0
        var killedInsideSpawnWindow = 0
        var killedBeforeAnyRecord = 0
        var orphans = 0
        var duplicates = 0
        var unparsable = 0
        var leftAfterDown = 0
        var failedConverge = 0

        var description: String {
            "\(runs) kills (\(killedInsideSpawnWindow) inside the spawn window, \(killedBeforeAnyRecord) before any record): "
                + "\(orphans) orphans, \(duplicates) duplicates, \(unparsable) unparsable files, "
                + "\(leftAfterDown) processes left after down, \(failedConverge) applies that did not converge"
        }
    }

    @Test("SIGKILL of apply at random instants, then apply and down: no orphan, no duplicate, no unparsable file")
    func killApplyAtRandomInstants() async throws {
        var tally = Tally()
        var generator = SystemRandomNumberGenerator()
        try await withWorkspace("faults") { ws in
            let yaml = (0..<Self.instances).map { SimInstance(name: "s\($0)", extraArgs: ["--load-delay", "50ms"]).yaml }
            try ws.write("sims.yaml", yaml.joined(separator: "---\n"))
            for run in 0..<Self.runs {
                let pause = [0, 0, 40, 120][Int.random(in: 0..<4, using: &generator)]
                let apply = try Inferctl.start(["apply", ws.dir], environment: ["INFERCTL_FAULT_SPAWN_PAUSE_MS": String(pause)])
                try await Task.sleep(for: .milliseconds(Int.random(in: 0..<700, using: &generator)))
                kill(apply.pid, SIGKILL)
                _ = try await apply.finish()
                tally.runs += 1
                let records = Self.records(ws)
                if records.isEmpty { tally.killedBeforeAnyRecord += 1 }
                if records.contains(where: { $0.has("spawnToken") && !$0.has("process") }) { tally.killedInsideSpawnWindow += 1 }

                let converge = try await ws.inferctl("apply", ws.dir, timeout: .seconds(120))
                if converge.status != 0 {
                    tally.failedConverge += 1
                    Issue.record("run \(run): \(converge)")
                }
                tally.unparsable += Self.unparsableFiles(ws).count
                let (orphans, duplicates) = try Self.census(ws)
                tally.orphans += orphans
                tally.duplicates += duplicates

                // Every other run stops everything, so both paths (adopt, start afresh) are exercised.
                if run % 2 == 1 {
                    let down = try await ws.inferctl("down", ws.dir, timeout: .seconds(120))
                    #expect(down.status == 0, "\(down)")
                    tally.leftAfterDown += Processes.running(inDirectory: ws.dir).count
                }
            }
            let down = try await ws.inferctl("down", ws.dir, timeout: .seconds(120))
            #expect(down.status == 0, "\(down)")
            tally.leftAfterDown += Processes.running(inDirectory: ws.dir).count
        }
        print("fault injection: \(tally)")
        #expect(tally.orphans == 0, "\(tally)")
        #expect(tally.duplicates == 0, "\(tally)")
        #expect(tally.unparsable == 0, "\(tally)")
        #expect(tally.leftAfterDown == 0, "\(tally)")
        #expect(tally.failedConverge == 0, "\(tally)")
    }

    static func records(_ ws: Workspace) -> [JSONObject] {
        let directory = ws.stateDir + "/instances"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".json") }.compactMap { try? ws.json(at: directory + "/" + $0) }
    }

    /// Every JSON file we write, that does not parse.
    static func unparsableFiles(_ ws: Workspace) -> [String] {
        let files = FileManager.default.enumerator(atPath: ws.dir)?.compactMap { $0 as? String } ?? []
        return files.filter { $0.hasSuffix(".json") && !$0.split(separator: "/").last!.hasPrefix(".") }.filter { file in
            guard let data = FileManager.default.contents(atPath: ws.path(file)) else { return true }
            return (try? JSONSerialization.jsonObject(with: data)) == nil
        }
    }

    /// Servers running in the directory that no record names (orphans), and instances with more
    /// than one server (duplicates). Each server leads its own session; helpers it forks do not.
    static func census(_ ws: Workspace) throws -> (orphans: Int, duplicates: Int) {
        let leaders = Processes.running(inDirectory: ws.dir).filter { getsid($0) == $0 }
        let recorded = Set(records(ws).compactMap { $0.int("process.pid").map(Int32.init) })
        let orphans = leaders.filter { !recorded.contains($0) }
        let perInstance = Dictionary(grouping: leaders) { pid in
            Processes.environment(pid).first { $0.hasPrefix("INFERCTL_INSTANCE=") } ?? "?"
        }
        let duplicates = perInstance.values.filter { $0.count > 1 }.count
        if !orphans.isEmpty || duplicates > 0 {
            Issue.record("orphans \(orphans), per instance \(perInstance), records \(recorded)")
        }
        return (orphans.count, duplicates)
    }
}
