import Foundation
import InferenceModel
import Testing

@Suite("Planner: desired x observed x now -> actions")
struct PlannerTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let base = SpecFingerprint(fields: ["backend": "llama_cpp", "server.ctxSize": "2048"])
    static let changed = SpecFingerprint(fields: ["backend": "llama_cpp", "server.ctxSize": "4096"])

    static func want(_ name: String = "a", _ fingerprint: SpecFingerprint = base, kind: StartupKind = .spawned,
                     policy: RestartPolicy = .onFailure, activation: ActivationMode = .always) -> DesiredInstance {
        DesiredInstance(name: name, backend: "llama_cpp", startupKind: kind, fingerprint: fingerprint,
                        restart: RestartSpec(policy: policy), activation: ActivationSpec(mode: activation))
    }

    static func have(_ name: String = "a", _ fingerprint: SpecFingerprint = base, kind: StartupKind = .spawned,
                     process: ProcessObservation = .running, phase: InstancePhase = .ready, restarts: Int = 0,
                     exit: TerminationStatus? = nil, exitedAgo: TimeInterval = 3600) -> ObservedInstance {
        ObservedInstance(name: name, backend: "llama_cpp", startupKind: kind, fingerprint: fingerprint,
                         process: kind == .spawned ? process : .notApplicable, pid: 42, phase: phase, restarts: restarts,
                         startedAt: now.addingTimeInterval(-exitedAgo - 5),
                         lastExit: exit.map { ExitRecord(status: $0, at: now.addingTimeInterval(-exitedAgo)) })
    }

    struct Row: Sendable, CustomTestStringConvertible {
        let label: String
        let desired: [DesiredInstance]
        let observed: [ObservedInstance]
        let expected: [ActionKind]
        var testDescription: String { label }
    }

    static let rows: [Row] = [
        Row(label: "new spawned", desired: [want()], observed: [], expected: [.spawn]),
        Row(label: "new attached", desired: [want(kind: .attachExistingService)], observed: [], expected: [.attach]),
        Row(label: "new on-demand waits", desired: [want(activation: .onDemand)], observed: [], expected: [.noop]),
        Row(label: "running ready unchanged", desired: [want()], observed: [have()], expected: [.noop]),
        Row(label: "running not yet ready", desired: [want()], observed: [have(phase: .starting)], expected: [.adopt]),
        Row(label: "spec changed while running", desired: [want("a", changed)], observed: [have()], expected: [.replace]),
        Row(label: "spec changed while dead", desired: [want("a", changed)], observed: [have(process: .exited, exit: .exited(code: 1))], expected: [.spawn]),
        Row(label: "crashed, OnFailure", desired: [want()], observed: [have(process: .exited, exit: .signaled(signal: 9))], expected: [.restart]),
        Row(label: "clean exit, OnFailure", desired: [want()], observed: [have(process: .exited, exit: .exited(code: 0))], expected: [.noop]),
        Row(label: "clean exit, Always", desired: [want(policy: .always)], observed: [have(process: .exited, exit: .exited(code: 0))], expected: [.restart]),
        Row(label: "crashed, Never", desired: [want(policy: .never)], observed: [have(process: .exited, exit: .exited(code: 1))], expected: [.noop]),
        Row(label: "status unknown counts as failure", desired: [want()], observed: [have(process: .exited, exit: .unknown)], expected: [.restart]),
        Row(label: "pid reused", desired: [want()], observed: [have(process: .reused)], expected: [.restart]),
        Row(label: "stopped by down", desired: [want()], observed: [have(process: .exited, phase: .stopped)], expected: [.spawn]),
        Row(label: "removed managed", desired: [], observed: [have()], expected: [.stop]),
        Row(label: "removed attached", desired: [], observed: [have(kind: .attachExistingService)], expected: [.detach]),
        Row(label: "attached ready", desired: [want(kind: .attachExistingService)], observed: [have(kind: .attachExistingService)], expected: [.noop]),
        Row(label: "attached pending retries", desired: [want(kind: .attachExistingService)],
            observed: [have(kind: .attachExistingService, phase: .pending)], expected: [.attach]),
        Row(label: "attached spec changed", desired: [want("a", changed, kind: .attachExistingService)],
            observed: [have(kind: .attachExistingService)], expected: [.attach]),
        Row(label: "startup kind changed", desired: [want(kind: .attachExistingService)], observed: [have()], expected: [.replace]),
        Row(label: "not proven ours: left alone, a new one started", desired: [want()], observed: [have(process: .unproven)],
            expected: [.restart]),
        Row(label: "removed, not proven ours", desired: [], observed: [have(process: .unproven)], expected: [.stop]),
    ]

    @Test(arguments: rows)
    func table(row: Row) {
        let plan = Planner.plan(desired: row.desired, observed: row.observed, now: Self.now)
        #expect(plan.actions.map(\.kind) == row.expected)
    }

    @Test func replaceReasonNamesTheChangedField() {
        let plan = Planner.plan(desired: [Self.want("a", Self.changed)], observed: [Self.have()], now: Self.now)
        #expect(plan.actions[0].reason == "spec changed: server.ctxSize 2048 -> 4096")
    }

    @Test func stopsComeFirstThenByName() {
        let plan = Planner.plan(
            desired: [Self.want("c"), Self.want("b"), Self.want("a", Self.changed)],
            observed: [Self.have("a"), Self.have("z"), Self.have("b")], now: Self.now)
        #expect(plan.actions.map(\.instance) == ["z", "a", "c", "b"])
        #expect(plan.actions.map(\.kind) == [.stop, .replace, .spawn, .noop])
        #expect(plan.summary == "Plan: 1 to spawn, 1 to replace, 1 to stop, 1 unchanged.")
    }

    @Test func noChangesSummary() {
        let plan = Planner.plan(desired: [Self.want()], observed: [Self.have()], now: Self.now)
        #expect(!plan.hasChanges)
        #expect(plan.summary == "No changes. 1 instance up to date.")
    }

    @Test func aServerWeStoppedForFailingReadinessFailedWhateverItsExitCode() {
        var stopped = Self.have(process: .exited, phase: .failed, exit: .exited(code: 0))
        stopped.lastExit?.failedCheck = "ReadinessTimeout"
        let plan = Planner.plan(desired: [Self.want()], observed: [stopped], now: Self.now)
        #expect(plan.actions[0].kind == .restart)
        #expect(plan.actions[0].reason.contains("ReadinessTimeout"), "\(plan.actions[0].reason)")
        let clean = Planner.plan(desired: [Self.want()], observed: [Self.have(process: .exited, exit: .exited(code: 0))], now: Self.now)
        #expect(clean.actions[0].kind == .noop, "a clean exit of its own is still a success under OnFailure")
    }

    @Test func aCrashedInstanceHeldByItsPolicyIsNamedInTheSummary() {
        let plan = Planner.plan(desired: [Self.want("a", policy: .never), Self.want("b")],
                                observed: [Self.have("a", process: .exited, exit: .exited(code: 1)), Self.have("b")], now: Self.now)
        #expect(!plan.hasChanges)
        #expect(plan.actions.first { $0.instance == "a" }?.notRunning == true)
        #expect(plan.summary == "No changes. 1 instance up to date; 1 not running and not to be restarted (restart policy): a.")
    }

    @Test func anInterruptedSpawnIsStartedAfresh() {
        var interrupted = Self.have(process: .exited, phase: .pending)
        interrupted.pid = nil
        interrupted.message = "an earlier run was interrupted before this server started"
        let plan = Planner.plan(desired: [Self.want()], observed: [interrupted], now: Self.now)
        #expect(plan.actions[0].kind == .spawn)
        #expect(plan.actions[0].reason.contains("interrupted"))
    }

    @Test func restartBackoffDoublesAndIsHeldUntilDue() {
        // Exited 1 s ago after 3 restarts: backoff 1s * 2^3 = 8 s, so not before 7 s from now.
        let plan = Planner.plan(desired: [Self.want()],
                                observed: [Self.have(process: .exited, restarts: 3, exit: .exited(code: 1), exitedAgo: 1)],
                                now: Self.now)
        #expect(plan.actions[0].kind == .restart)
        #expect(plan.actions[0].notBefore == Self.now.addingTimeInterval(7))
        let due = Planner.plan(desired: [Self.want()],
                               observed: [Self.have(process: .exited, restarts: 3, exit: .exited(code: 1), exitedAgo: 60)],
                               now: Self.now)
        #expect(due.actions[0].notBefore == nil)
    }

    @Test func planIsDeterministic() {
        let desired = (0..<20).map { Self.want("i\($0)") }
        let observed = (0..<20).reversed().map { Self.have("i\($0)", $0 % 2 == 0 ? Self.base : Self.changed) }
        let first = Planner.plan(desired: desired, observed: observed, now: Self.now)
        let second = Planner.plan(desired: desired.shuffled(), observed: observed.shuffled(), now: Self.now)
        #expect(first == second)
    }

    @Test func fingerprintIgnoresWatchSettings() {
        var spec = InstanceSpec(backend: "llama_cpp", model: ModelSpec(path: "/m.gguf"))
        let before = SpecFingerprint(spec: spec, startupKind: .spawned)
        spec.readiness.timeout = .seconds(1)
        spec.health.interval = .seconds(1)
        spec.restart.policy = .never
        #expect(SpecFingerprint(spec: spec, startupKind: .spawned) == before)
        spec.server.ctxSize = 4096
        #expect(SpecFingerprint(spec: spec, startupKind: .spawned).hash != before.hash)
    }
}

@Suite("Condition reasons")
struct ConditionReasonTests {
    @Test func configurationProblemsAreTerminalAndRuntimeOnesRetry() {
        #expect(!ConditionReason.invalidSpec.isRetryable)
        #expect(!ConditionReason.secretUnavailable.isRetryable)
        #expect(ConditionReason.readinessTimeout.isRetryable)
        #expect(ConditionReason.crashLoopBackOff.isRetryable)
        #expect(ConditionReason(health: .degraded) == .degraded)
        #expect(Set(ConditionReason.allCases.map(\.rawValue)).count == ConditionReason.allCases.count)
    }
}
