import Foundation
import Testing
@testable import InferenceModel
@testable import InferenceRuntime

@Suite("Recovery completes interrupted spawns and finds unrecorded servers")
struct OwnershipRecoveryTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let folder = StateFolder(layout: StateLayout(manifestDirectory: "/srv/m"),
                             identity: StateFolderIdentity(path: "/srv/m/.inferctl", device: 1, inode: 2, createdAt: Date()))

    func record(_ name: String, token: String?, pid: Int32? = nil) -> InstanceRecord {
        var record = InstanceRecord(name: name, backend: "simulation", startupKind: .spawned, fingerprint: .init(fields: [:]),
                                    phase: .starting)
        record.spawnToken = token
        record.process = pid.map { ProcessIdentity(pid: $0, startTimeTicks: 10, bootID: "b") }
        return record
    }

    func server(_ token: String, pid: Int32, instance: String?) -> OwnershipRecovery.FoundServer {
        .init(claim: ProcessClaim(identity: ProcessIdentity(pid: pid, startTimeTicks: 10, bootID: "b"), token: token),
              instance: instance)
    }

    @Test func anIntentWhoseServerRunsIsCompleted() {
        let token = folder.newSpawnToken()
        let decision = OwnershipRecovery.decide(records: [record("a", token: token)], unreadable: [],
                                                live: [server(token, pid: 4242, instance: "a")], now: now)
        #expect(decision.updated.map(\.process?.pid) == [4242])
        #expect(decision.updated.first?.spawnToken == token)
        #expect(decision.orphans.isEmpty)
    }

    @Test func anIntentWithNoServerIsCleared() {
        let decision = OwnershipRecovery.decide(records: [record("a", token: folder.newSpawnToken())], unreadable: [],
                                                live: [], now: now)
        let cleared = try! #require(decision.updated.first)
        #expect(cleared.spawnToken == nil)
        #expect(cleared.process == nil)
        #expect(cleared.phase == .pending)
        #expect(cleared.message?.contains("interrupted") == true)
    }

    @Test func aServerNoRecordNamesIsAnOrphanUnlessItsRecordIsUnreadable() {
        let named = folder.newSpawnToken()
        let decision = OwnershipRecovery.decide(
            records: [record("a", token: named, pid: 100)], unreadable: ["c"],
            live: [server(named, pid: 100, instance: "a"), server(folder.newSpawnToken(), pid: 200, instance: "b"),
                   server(folder.newSpawnToken(), pid: 300, instance: "c")],
            now: now)
        #expect(decision.updated.isEmpty, "a completed record is left as it is")
        #expect(decision.orphans.map(\.claim.identity.pid) == [200])
        #expect(decision.leftAlone.map(\.claim.identity.pid) == [300])
    }
}
