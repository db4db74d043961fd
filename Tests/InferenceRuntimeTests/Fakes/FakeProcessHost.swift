import Foundation
import Glibc
import InferenceBackends
import InferenceModel
@testable import InferenceRuntime

/// Processes that exist only in memory: the executor, the observer and recovery run against it
/// exactly as against /proc, without spawning anything.
final class FakeProcessHost: ProcessHost, @unchecked Sendable {
    struct FakeProcess {
        var identity: ProcessIdentity
        var environment: [String: String]
        var exit: ExitStatus?
    }

    private let lock = NSLock()
    private var processes: [Int32: FakeProcess] = [:]
    private var nextPID: Int32 = 4000
    private(set) var launches: [LaunchRequest] = []
    private(set) var stops: [ProcessClaim] = []
    /// Tasks suspended in `waitForExit`, by pid.
    private var exitWaiters: [Int32: [UUID: CheckedContinuation<ExitStatus, Never>]] = [:]
    /// Makes the next launch fail.
    var launchFailure: LaunchError?
    /// Set: every launched server exits at once with this status (before it is ready).
    var exitOnLaunch: ExitStatus?

    var launchCount: Int { lock.withLock { launches.count } }
    var stopCount: Int { lock.withLock { stops.count } }

    /// A process the fake did not launch (another user's, or a forged record's target).
    @discardableResult
    func addForeignProcess(environment: [String: String] = [:]) -> ProcessIdentity {
        lock.withLock {
            nextPID += 1
            let identity = ProcessIdentity(pid: nextPID, startTimeTicks: UInt64(nextPID), bootID: "fake-boot")
            processes[nextPID] = FakeProcess(identity: identity, environment: environment, exit: nil)
            return identity
        }
    }

    func isRunning(_ pid: Int32) -> Bool { lock.withLock { processes[pid].map { $0.exit == nil } ?? false } }

    func crash(_ pid: Int32, _ status: ExitStatus = .signaled(SIGKILL)) {
        end(pid, status)
    }

    /// The process exits: whoever waits for it learns at once (as from a pidfd).
    private func end(_ pid: Int32, _ status: ExitStatus) {
        let waiters = lock.withLock { () -> [CheckedContinuation<ExitStatus, Never>] in
            processes[pid]?.exit = status
            return exitWaiters.removeValue(forKey: pid).map { Array($0.values) } ?? []
        }
        waiters.forEach { $0.resume(returning: status) }
    }

    func launch(_ request: LaunchRequest) throws(LaunchError) -> ProcessIdentity {
        let result: Result<ProcessIdentity, LaunchError> = lock.withLock {
            launches.append(request)
            if let failure = launchFailure { return .failure(failure) }
            nextPID += 1
            let identity = ProcessIdentity(pid: nextPID, startTimeTicks: UInt64(nextPID), bootID: "fake-boot")
            processes[nextPID] = FakeProcess(identity: identity, environment: request.environment, exit: exitOnLaunch)
            return .success(identity)
        }
        return try result.get()
    }

    func stop(_ claim: ProcessClaim, signal: Int32, gracePeriod: Duration) async -> StopOutcome {
        switch liveness(of: claim) {
        case .gone, .zombie: return .notRunning
        case .reused: return .refusedIdentityMismatch
        case .unproven: return .refusedNotProven
        case .running:
            lock.withLock { stops.append(claim) }
            end(claim.identity.pid, .signaled(signal))
            return .exitedAfterSignal
        }
    }

    func liveness(of claim: ProcessClaim) -> ProcessLiveness {
        let base = liveness(of: claim.identity)
        guard base == .running else { return base }
        let holds = lock.withLock { processes[claim.identity.pid]?.environment[StateFolder.tokenVariable] == claim.token }
        return holds ? .running : .unproven
    }

    func liveness(of identity: ProcessIdentity) -> ProcessLiveness {
        lock.withLock {
            guard let process = processes[identity.pid] else { return .gone }
            guard process.identity == identity else { return .reused }
            return process.exit == nil ? .running : .gone
        }
    }

    func exitStatusIfExited(_ identity: ProcessIdentity) -> ExitStatus? {
        lock.withLock { processes[identity.pid].flatMap { $0.identity == identity ? $0.exit : .unknown } }
    }

    /// Suspends until the process exits (or the task is cancelled: then `.unknown`), like the real host.
    func waitForExit(_ identity: ProcessIdentity) async -> ExitStatus {
        let id = UUID()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<ExitStatus, Never>) in
                let now = lock.withLock { () -> ExitStatus? in
                    guard let process = processes[identity.pid], process.identity == identity else { return .unknown }
                    if let exit = process.exit { return exit }
                    if Task.isCancelled { return .unknown }
                    exitWaiters[identity.pid, default: [:]][id] = continuation
                    return nil
                }
                if let now { continuation.resume(returning: now) }
            }
        } onCancel: {
            let waiter = lock.withLock { exitWaiters[identity.pid]?.removeValue(forKey: id) }
            waiter?.resume(returning: .unknown)
        }
    }

    func sessionLeaders(withEnvironmentPrefix prefix: String, keeping keep: String) -> [(identity: ProcessIdentity, entries: [String])] {
        lock.withLock {
            processes.values.filter { $0.exit == nil }.compactMap { process in
                let entries = process.environment.map { "\($0.key)=\($0.value)" }
                guard entries.contains(where: { $0.hasPrefix(prefix) }) else { return nil }
                return (process.identity, entries.filter { $0.hasPrefix(keep) })
            }
        }
    }
}

/// Canned answers to probes: ready, or refused.
struct FakeProber: HTTPProber {
    var ready: Bool

    func send(_ request: ProbeRequest, headers: [String: String], timeout: Duration) async -> ProbeResponse {
        ready ? .answered(status: 200, body: #"{"status":"ok"}"#) : .unreachable("connection refused")
    }
}

/// Records in memory, versioned like the file store (a save that changes nothing keeps the
/// revision); `failSaves` makes chosen saves fail (1-based), like a disk that fills up.
final class MemoryStateStore: StateStore, @unchecked Sendable {
    private let lock = NSLock()
    private var records: [String: InstanceRecord] = [:]
    private var saves = 0
    /// Saves that changed a record (the file store would have written a file).
    private(set) var writes = 0
    var failSaves: Set<Int> = []

    func loadRecords() throws -> [InstanceRecord] { lock.withLock { records.values.sorted { $0.name < $1.name } } }

    func loadRecord(_ instance: String) -> RecordLoad {
        lock.withLock { records[instance].map(RecordLoad.record) ?? .missing }
    }

    @discardableResult
    func save(_ record: InstanceRecord, ifRevision expected: RecordRevision?) throws -> InstanceRecord {
        try lock.withLock {
            saves += 1
            if failSaves.contains(saves) { throw SystemCallError("write", path: "memory", code: ENOSPC) }
            let stored = records[record.name]
            let found = stored.map { RecordRevision.revision($0.revision) } ?? .missing
            if let expected, expected != found { throw StaleRecord(instance: record.name, expected: expected, found: found) }
            var next = record
            next.revision = stored?.revision ?? 0
            if let stored, Self.sameContent(stored, next) { return stored }
            next.revision = (stored?.revision ?? 0) + 1
            records[record.name] = next
            writes += 1
            return next
        }
    }

    func remove(_ instance: String, ifRevision expected: RecordRevision?) throws {
        try lock.withLock {
            let found = records[instance].map { RecordRevision.revision($0.revision) } ?? .missing
            if let expected, expected != found { throw StaleRecord(instance: instance, expected: expected, found: found) }
            records.removeValue(forKey: instance)
        }
    }

    func record(_ name: String) -> InstanceRecord? { lock.withLock { records[name] } }

    /// Compared as the file store compares: as written (dates to the second).
    private static func sameContent(_ a: InstanceRecord, _ b: InstanceRecord) -> Bool {
        (try? JSONCoding.encoder.encode(a)) == (try? JSONCoding.encoder.encode(b))
    }
}

/// Status files in memory.
final class MemoryStatusWriter: StatusWriting, @unchecked Sendable {
    private let lock = NSLock()
    private(set) var instances: [String: InstanceStatus] = [:]

    func write(_ status: InstanceStatus) throws { lock.withLock { instances[status.name] = status } }
    func write(_ status: ConsumerStatus) throws {}
    func removeInstanceStatus(_ name: String) throws { _ = lock.withLock { instances.removeValue(forKey: name) } }
    func removeConsumerStatus(_ name: String) throws {}
}
