import Foundation
import Glibc
import Testing
import InferenceBackends
@testable import InferenceRuntime

/// The readiness waiter sleeps between probes and is woken by what happens: the process's exit and
/// the log's growth. Each test makes the probe schedule too slow to explain the result (the next
/// probe would be half a minute away), so only the event can.
@Suite("Readiness: woken by events, not by polling")
struct ReadinessWaiterTests {
    static let probe = ProbeSet.Kind.llamaHealth(root: "http://127.0.0.1:1")

    static func slowSettings() -> ReadinessWaiter.Settings {
        var settings = ReadinessWaiter.Settings(timeout: .seconds(120))
        settings.initialInterval = .seconds(30)
        settings.maxInterval = .seconds(30)
        return settings
    }

    @Test func anExitWakesTheWaiterAtOnce() async throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let host = FakeProcessHost()
        let identity = try host.launch(LaunchRequest(executable: "server", logPath: dir + "/server.log"))
        let prober = CountingProber()
        let waiter = ReadinessWaiter(runner: ProbeRunner(prober: prober), host: host)
        let outcome = Task { await waiter.wait(for: Self.probe, process: identity, logPath: nil, settings: Self.slowSettings()) }
        #expect(await eventually { prober.count >= 1 }, "the first probe runs at once")
        host.crash(identity.pid, .exited(7))
        #expect(await outcome.value == .exited(.exited(7), logTail: []))
        #expect(prober.count == 1, "no probe was needed to notice the exit")
    }

    @Test func aReadinessLineInTheLogProbesAtOnce() async throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = dir + "/server.log"
        FileManager.default.createFile(atPath: log, contents: Data("loading model\n".utf8))
        let prober = CountingProber()
        let waiter = ReadinessWaiter(runner: ProbeRunner(prober: prober), host: FakeProcessHost())
        let outcome = Task { await waiter.wait(for: Self.probe, process: nil, logPath: log, settings: Self.slowSettings()) }
        #expect(await eventually { prober.count >= 1 })
        prober.ready = true
        let handle = try #require(FileHandle(forWritingAtPath: log))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("main: server is listening on http://127.0.0.1:8080\n".utf8))
        try handle.close()
        guard case .ready = await outcome.value else {
            Issue.record("not ready: \(await outcome.value)")
            return
        }
        #expect(prober.count == 2)
    }

    @Test func aSignalWakesAWaitAndIsKeptUntilOneWaits() async {
        let clock = ContinuousClock()
        let wakeup = Wakeup()
        wakeup.signal() // nobody waits yet: kept
        let start = clock.now
        await wakeup.wait(until: start + .seconds(60))
        #expect(clock.now < start + .seconds(60))

        let waiting = Task { await wakeup.wait(until: clock.now + .seconds(60)) }
        wakeup.signal()
        await waiting.value
        #expect(clock.now < start + .seconds(60))

        await wakeup.wait(until: clock.now + .milliseconds(5)) // no signal: the deadline ends it
    }
}

/// "not ready" until `ready` is set; counts probes.
final class CountingProber: HTTPProber, @unchecked Sendable {
    private let lock = NSLock()
    private var probes = 0
    private var isReady = false

    var count: Int { lock.withLock { probes } }
    var ready: Bool {
        get { lock.withLock { isReady } }
        set { lock.withLock { isReady = newValue } }
    }

    func send(_ request: ProbeRequest, headers: [String: String], timeout: Duration) async -> ProbeResponse {
        let ready = lock.withLock { () -> Bool in
            probes += 1
            return isReady
        }
        return ready ? .answered(status: 200, body: #"{"status":"ok"}"#) : .answered(status: 503, body: #"{"status":"loading"}"#)
    }
}
