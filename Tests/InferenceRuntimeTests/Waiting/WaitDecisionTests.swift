import Foundation
import InferenceModel
import Testing
@testable import InferenceRuntime

/// The pure judgement behind `inferctl wait`: a status file, the record as /proc sees it, and the
/// manifest's spec hash, in; met, failed or pending, out.
@Suite("wait: the decision")
struct WaitDecisionTests {
    static let current = SpecFingerprint(fields: ["model.identity": "a"])
    static let earlier = SpecFingerprint(fields: ["model.identity": "old"])

    /// A status as apply writes it (and `inferctl status` shows it, for `live`).
    func status(_ phase: InstancePhase, pid: Int32? = 100, kind: StartupKind = .spawned, message: String? = nil,
                fingerprint: SpecFingerprint = current, readyReason: ConditionReason? = nil) -> InstanceStatus {
        var record = InstanceRecord(name: "alpha", backend: "simulation", startupKind: kind, fingerprint: fingerprint,
                                    process: pid.map { ProcessIdentity(pid: $0, startTimeTicks: 7, bootID: "boot") },
                                    phase: phase, message: message)
        Conditions.apply(phase: phase, reason: readyReason ?? ConditionReason(rawValue: phase.rawValue) ?? .starting, message: message ?? "", to: &record, now: Date())
        return InstanceStatus(record: record, now: Date())
    }

    func ready(_ published: PublishedStatus, live: InstanceStatus? = nil, declared: SpecFingerprint? = current,
               unreadable: String? = nil) -> WaitVerdict {
        WaitDecision.verdict(.ready, WaitObservation(name: "alpha", declaredGeneration: declared?.hash, published: published,
                                                     live: live, unreadableRecord: unreadable))
    }

    func deleted(_ published: PublishedStatus, live: InstanceStatus? = nil, declared: SpecFingerprint? = nil,
                 unreadable: String? = nil) -> WaitVerdict {
        WaitDecision.verdict(.deleted, WaitObservation(name: "alpha", declaredGeneration: declared?.hash, published: published,
                                                       live: live, unreadableRecord: unreadable))
    }

    // MARK: --for ready

    @Test func readyWithItsProcessAliveIsMet() {
        let verdict = ready(.present(status(.ready)), live: status(.ready))
        #expect(verdict.state == .met)
        #expect(verdict.phase == .ready)
        #expect(verdict.name == "alpha")
    }

    @Test func readyWhoseProcessDiedFailsWithTheLiveMessage() {
        let dead = status(.failed, message: "process 100 is no longer running; the next apply restarts it")
        let verdict = ready(.present(status(.ready)), live: dead)
        #expect(verdict.state == .failed)
        #expect(verdict.phase == .failed)
        #expect(verdict.message.contains("no longer running"))
    }

    @Test func readyWhileTheRecordNamesAnotherProcessOrNoneIsPending() {
        #expect(ready(.present(status(.ready, pid: 100)), live: status(.starting, pid: 200)).state == .pending)
        #expect(ready(.present(status(.ready, pid: 100)), live: status(.failed, pid: nil)).state == .pending) // an intent, mid-spawn
        #expect(ready(.present(status(.ready))).state == .pending) // no record at all
    }

    @Test func anAttachedServerIsTakenAtItsStatusWord() {
        #expect(ready(.present(status(.ready, pid: nil, kind: .attachExistingService))).state == .met)
        #expect(ready(.present(status(.pending, pid: nil, kind: .attachExistingService))).state == .pending)
    }

    @Test func failedPhaseFails() {
        let verdict = ready(.present(status(.failed, message: "exited before ready: status 3")), live: status(.failed))
        #expect(verdict.state == .failed)
        #expect(verdict.message == "exited before ready: status 3")
    }

    @Test func crashLoopBackOffFailsWhateverThePhase() {
        let looping = status(.starting, message: "restarting in 32s", readyReason: .crashLoopBackOff)
        let verdict = ready(.present(looping), live: status(.starting))
        #expect(verdict.state == .failed)
        #expect(verdict.message.hasPrefix("CrashLoopBackOff"))
    }

    @Test func startingIsPendingWithItsMessage() {
        let verdict = ready(.present(status(.starting, message: "waiting for readiness")), live: status(.starting))
        #expect(verdict == WaitVerdict("alpha", .pending, phase: .starting, message: "waiting for readiness"))
    }

    @Test func startingWhoseProcessDiedFails() {
        // apply --no-wait left it Starting; no controller would ever rewrite it.
        let verdict = ready(.present(status(.starting)), live: status(.failed, message: "process 100 is no longer running"))
        #expect(verdict.state == .failed)
    }

    @Test func stoppedByDownIsPending() {
        let verdict = ready(.present(status(.stopped, pid: nil, message: "stopped by inferctl down")), live: status(.stopped))
        #expect(verdict.state == .pending)
        #expect(verdict.phase == .stopped)
    }

    @Test func noStatusFileYetIsPending() {
        #expect(ready(.absent).state == .pending)
        #expect(ready(.absent).message.contains("not applied yet"))
        #expect(ready(.unreadable("it is not a valid instance status")).state == .pending)
    }

    @Test func aStatusOfAnEarlierManifestIsPendingWhateverItSays() {
        for phase in [InstancePhase.ready, .failed] {
            let verdict = ready(.present(status(phase, fingerprint: Self.earlier)), live: status(phase, fingerprint: Self.earlier))
            #expect(verdict.state == .pending, "\(phase)")
            #expect(verdict.message.contains("earlier version"))
        }
    }

    @Test func anUndeclaredInstanceIsJudgedOnItsStatusAlone() {
        #expect(ready(.present(status(.ready, fingerprint: Self.earlier)), live: status(.ready), declared: nil).state == .met)
    }

    @Test func anUnreadableRecordFails() {
        let verdict = ready(.present(status(.ready)), unreadable: "not a valid record")
        #expect(verdict.state == .failed)
        #expect(verdict.message.contains("not a valid record"))
    }

    // MARK: --for deleted

    @Test func deletedMeansNoStatusFileAndNoRecord() {
        #expect(deleted(.absent) == WaitVerdict("alpha", .met, phase: nil, message: "deleted"))
        #expect(deleted(.present(status(.ready)), live: status(.ready)).state == .pending)
        #expect(deleted(.absent, live: status(.ready)).state == .pending) // the record goes first, the status file last
        #expect(deleted(.unreadable("it is a symbolic link")).state == .pending)
    }

    @Test func stoppedIsNotDeleted() {
        let verdict = deleted(.present(status(.stopped, pid: nil)), live: status(.stopped))
        #expect(verdict.state == .pending)
        #expect(verdict.phase == .stopped)
    }

    @Test func stillDeclaredIsSaid() {
        #expect(deleted(.present(status(.ready)), declared: Self.current).message.contains("still declared"))
    }

    @Test func anUnreadableRecordIsNeverPruned() {
        #expect(deleted(.absent, unreadable: "not a valid record").state == .failed)
    }

    // MARK: together

    @Test func oneFailureDecidesOtherwiseAllMustBeMet() {
        let met = WaitVerdict("a", .met, phase: .ready, message: "")
        let pending = WaitVerdict("b", .pending, phase: .starting, message: "")
        let failed = WaitVerdict("c", .failed, phase: .failed, message: "")
        #expect(WaitDecision.combined([met, met]) == .met)
        #expect(WaitDecision.combined([met, pending]) == .pending)
        #expect(WaitDecision.combined([pending, failed, met]) == .failed)
        #expect(WaitDecision.combined([]) == .met)
    }
}
