import Foundation
import Glibc
import Testing
@testable import InferenceRuntime

@Suite struct ProcessLifecycleTests {
    let table = ProcessTable()
    let launcher = ProcessLauncher()
    let terminator = ProcessTerminator()

    private func shell(_ script: String, log: String) -> LaunchRequest {
        LaunchRequest(executable: "sh", arguments: ["-c", script], environment: testEnvironment, logPath: log)
    }

    @Test func launchesSessionLeaderAndStopsIt() async throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = dir + "/logs/server.log"
        let identity = try launcher.launch(shell("echo hello; sleep 30", log: log))

        #expect(table.status(of: identity) == .running)
        #expect(getsid(identity.pid) == identity.pid)
        #expect(getpgid(identity.pid) == identity.pid)
        #expect(await eventually { readText(log).contains("hello") })

        let outcome = await terminator.stop(owned(identity), gracePeriod: .seconds(5))
        #expect(outcome == .exitedAfterSignal)
        #expect(table.status(of: identity) == .gone) // reaped: no zombie left
        #expect(await ChildExitWatcher.shared.waitForExit(identity) == .signaled(SIGTERM))
        #expect(await terminator.stop(owned(identity)) == .notRunning)
    }

    @Test func killsGroupThatIgnoresTerm() async throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = dir + "/server.log"
        // The ignored disposition is inherited by the background sleep too.
        let identity = try launcher.launch(shell("trap '' TERM; sleep 30 & echo child=$!; wait", log: log))
        #expect(await eventually { readText(log).contains("child=") })
        let childLine = try #require(readText(log).split(separator: "\n").first { $0.hasPrefix("child=") })
        let grandchild = try #require(Int32(childLine.dropFirst("child=".count)))
        let grandchildIdentity = try #require(table.identity(of: grandchild))
        #expect(getpgid(grandchild) == identity.pid)

        let clock = ContinuousClock()
        let started = clock.now
        let outcome = await terminator.stop(owned(identity), gracePeriod: .milliseconds(300))
        #expect(outcome == .killedAfterGrace)
        #expect(clock.now - started >= .milliseconds(300))
        #expect(table.status(of: identity) == .gone)
        #expect(await eventually { table.status(of: grandchildIdentity) == .gone })
        #expect(table.liveMembers(ofGroup: identity.pid).isEmpty)
        #expect(ChildExitWatcher.shared.exitStatusIfExited(identity) == .signaled(SIGKILL))
    }

    @Test func membersLeftAfterTheLeaderExitsAreWaitedForThenKilled() async throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = dir + "/server.log"
        // The leader dies of SIGTERM; the member it started ignores it and stays in the group.
        let identity = try launcher.launch(shell("(trap '' TERM; echo member-ignores-term; exec sleep 30) & wait", log: log))
        #expect(await eventually { readText(log).contains("member-ignores-term") })
        let outcome = await terminator.stop(owned(identity), gracePeriod: .milliseconds(300))
        #expect(outcome == .killedAfterGrace)
        #expect(ChildExitWatcher.shared.exitStatusIfExited(identity) == .signaled(SIGTERM))
        #expect(table.liveMembers(ofGroup: identity.pid).isEmpty)
    }

    @Test func aStopWhoseTaskIsCancelledStillFinishes() async throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = dir + "/server.log"
        let identity = try launcher.launch(shell("trap '' TERM; echo ignores-term; sleep 30 & wait", log: log))
        #expect(await eventually { readText(log).contains("ignores-term") })
        let stop = Task { [terminator] in await terminator.stop(owned(identity), gracePeriod: .milliseconds(200)) }
        stop.cancel()
        #expect(await stop.value == .killedAfterGrace)
        #expect(table.status(of: identity) == .gone)
        #expect(table.liveMembers(ofGroup: identity.pid).isEmpty)
    }

    @Test func reportsExitCode() async throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let identity = try launcher.launch(shell("exit 3", log: dir + "/log"))
        let status = await ChildExitWatcher.shared.waitForExit(identity)
        #expect(status == .exited(3))
        #expect(status.description == "exited with status 3")
        #expect(ChildExitWatcher.shared.exitStatusIfExited(identity) == .exited(3))
        #expect(table.status(of: identity) == .gone)
    }

    @Test func reportsKillSignal() async throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let identity = try launcher.launch(shell("kill -9 $$", log: dir + "/log"))
        let status = await ChildExitWatcher.shared.waitForExit(identity)
        #expect(status == .signaled(9))
        #expect(status.description == "killed by SIGKILL")
    }

    @Test func exitStatusIfExitedIsNilWhileRunning() async throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let identity = try launcher.launch(shell("sleep 30", log: dir + "/log"))
        #expect(ChildExitWatcher.shared.exitStatusIfExited(identity) == nil)
        #expect(await terminator.stop(owned(identity)) == .exitedAfterSignal)
        #expect(ChildExitWatcher.shared.exitStatusIfExited(identity) == .signaled(SIGTERM))
    }

    @Test func observesForeignProcessWithoutReapingIt() async throws {
        // Foundation owns this child and must still be able to reap it.
        let sleeper = Process()
        sleeper.executableURL = URL(fileURLWithPath: "/bin/sleep")
        sleeper.arguments = ["30"]
        try sleeper.run()
        let identity = try #require(table.identity(of: sleeper.processIdentifier))
        let watcher = ChildExitWatcher()
        async let status = watcher.waitForExit(identity)
        // Foundation's children start with SIGTERM blocked: use SIGKILL.
        kill(sleeper.processIdentifier, SIGKILL)
        // Peeked if we get there before Foundation reaps it, else unknown.
        let observed = await status
        #expect(observed == .signaled(SIGKILL) || observed == .unknown)
        sleeper.waitUntilExit() // would hang if we had stolen the child
        #expect(sleeper.terminationReason == .uncaughtSignal)
        #expect(watcher.exitStatusIfExited(identity) == observed)
    }

    @Test func adoptedProcessExitIsUnknown() async throws {
        // A grandchild is not our child: exactly like a server adopted from
        // an earlier inferctl run.
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = dir + "/log"
        let parent = try launcher.launch(shell("sleep 30 & echo child=$!; wait; sleep 30", log: log))
        #expect(await eventually { readText(log).contains("child=") })
        let line = try #require(readText(log).split(separator: "\n").first { $0.hasPrefix("child=") })
        let adoptedPID = try #require(Int32(line.dropFirst(6)))
        let adopted = try #require(table.identity(of: adoptedPID))
        async let status = ChildExitWatcher().waitForExit(adopted)
        kill(adopted.pid, SIGTERM)
        #expect(await status == .unknown)
        #expect(await terminator.stop(owned(parent)) == .exitedAfterSignal)
    }

    /// A process we did not start (no spawn token), killed when `body` ends.
    private func withForeignSleeper(_ body: (Process) async throws -> Void) async throws {
        let sleeper = Process()
        sleeper.executableURL = URL(fileURLWithPath: "/bin/sleep")
        sleeper.arguments = ["600"]
        try sleeper.run()
        defer {
            kill(sleeper.processIdentifier, SIGKILL) // Foundation children block SIGTERM
            sleeper.waitUntilExit()
        }
        try await body(sleeper)
    }

    @Test func refusesReusedPid() async throws {
        try await withForeignSleeper { sleeper in
        var stale = try #require(table.identity(of: sleeper.processIdentifier))
        stale.startTimeTicks -= 1
        #expect(table.status(of: stale) == .reused)
        #expect(await terminator.stop(owned(stale), gracePeriod: .milliseconds(100)) == .refusedIdentityMismatch)
        #expect(ChildExitWatcher.shared.exitStatusIfExited(stale) == .unknown)
        #expect(kill(sleeper.processIdentifier, 0) == 0)
        #expect(sleeper.isRunning)
        }
    }

    @Test func refusesProcessThatDoesNotCarryTheToken() async throws {
        // A forged record: the very pid and start time of a process we did not start.
        try await withForeignSleeper { sleeper in
        let identity = try #require(table.identity(of: sleeper.processIdentifier))
        #expect(table.status(of: identity) == .running)
        #expect(table.status(of: owned(identity)) == .unproven)
        #expect(await terminator.stop(owned(identity), gracePeriod: .milliseconds(100)) == .refusedNotProven)
        #expect(sleeper.isRunning)
        }
    }

    @Test func neverSignalsInitOrItself() async throws {
        let me = try #require(table.identity(of: getpid()))
        #expect(await terminator.stop(owned(me), gracePeriod: .milliseconds(100)) == .refusedNotProven)
        if let initProcess = table.identity(of: 1) {
            #expect(await terminator.stop(owned(initProcess), gracePeriod: .milliseconds(100)) == .refusedNotProven)
        }
    }

    @Test func detectsZombieAndLeavesItToItsOwner() async throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let devNull = open("/dev/null", O_WRONLY | O_CLOEXEC)
        defer { close(devNull) }
        // Spawned without a watcher, so nobody reaps it behind our back.
        let pid = try SessionSpawner.spawn(path: "/bin/sh", argv: ["sh", "-c", "exit 7"],
                                           environment: testEnvironment, workingDirectory: dir,
                                           outputFD: devNull)
        let identity = try #require(table.identity(of: pid))
        #expect(await eventually { table.status(of: identity) == .zombie })
        #expect(await terminator.stop(owned(identity)) == .notRunning)
        #expect(ChildExitWatcher().exitStatusIfExited(identity) == .exited(7)) // peeked
        #expect(table.status(of: identity) == .zombie) // not launched by ProcessLauncher: not reaped
        #expect(collectChildExit(pid: pid, reap: true) == .reaped(.exited(7)))
        #expect(table.status(of: identity) == .gone)
    }

    @Test func stopsLeftoverGroupMembersOfZombieLeader() async throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = dir + "/log"
        let logFD = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        defer { close(logFD) }
        // Leader exits at once (stays a zombie: unowned), its child lives on.
        let pid = try SessionSpawner.spawn(path: "/bin/sh", argv: ["sh", "-c", "sleep 30 & echo child=$!"],
                                           environment: testEnvironment, workingDirectory: nil, outputFD: logFD)
        let identity = try #require(table.identity(of: pid))
        #expect(await eventually { table.status(of: identity) == .zombie && readText(log).contains("child=") })
        let line = try #require(readText(log).split(separator: "\n").first { $0.hasPrefix("child=") })
        let orphanPID = try #require(Int32(line.dropFirst(6)))
        let orphan = try #require(table.identity(of: orphanPID))
        #expect(table.liveMembers(ofGroup: pid) == [orphan.pid])

        #expect(await terminator.stop(owned(identity), gracePeriod: .seconds(5)) == .exitedAfterSignal)
        #expect(table.liveMembers(ofGroup: pid).isEmpty)
        #expect(collectChildExit(pid: pid, reap: true) == .reaped(.exited(0)))
    }

    @Test func continuesStoppedProcessSoItCanHandleTerm() async throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let identity = try launcher.launch(shell("sleep 30", log: dir + "/log"))
        // Stop it only once it sleeps in `sleep`: a stop that lands mid-exec can leave it in D state for long.
        #expect(await eventually(timeout: .seconds(10)) { table.stat(of: identity.pid)?.state == "S" })
        #expect(kill(-identity.pid, SIGSTOP) == 0)
        #expect(await eventually(timeout: .seconds(10)) { table.stat(of: identity.pid)?.state == "T" },
                "state: \(String(describing: table.stat(of: identity.pid)?.state))")
        #expect(await terminator.stop(owned(identity), gracePeriod: .seconds(5)) == .exitedAfterSignal)
        #expect(await ChildExitWatcher.shared.waitForExit(identity) == .signaled(SIGTERM))
    }

    @Test func missingExecutableHasClearError() throws {
        let request = LaunchRequest(executable: "llama-server-does-not-exist", environment: testEnvironment,
                                    logPath: "/tmp/unused.log")
        #expect(throws: LaunchError.executableNotFound("llama-server-does-not-exist")) {
            try launcher.launch(request)
        }
        #expect(LaunchError.executableNotFound("llama-server").description == "executable not found: llama-server")
    }

    @Test func childGetsOnlyGivenEnvironmentAndDirectoryAndNoExtraFDs() async throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = dir + "/log"
        let request = LaunchRequest(
            executable: "sh",
            arguments: ["-c", "echo env=$MY_VAR home=${HOME:-none}; pwd; ls /proc/self/fd | tr '\\n' ' '; echo; read x && echo stdin=$x || echo stdin-eof"],
            environment: testEnvironment.merging(["MY_VAR": "42"]) { $1 },
            workingDirectory: dir, logPath: log)
        let identity = try launcher.launch(request)
        #expect(await ChildExitWatcher.shared.waitForExit(identity) == .exited(0))
        let output = readText(log)
        #expect(output.contains("env=42 home=none"))
        #expect(output.contains(dir))
        #expect(output.contains("stdin-eof"))
        // ls itself opens one descriptor (3) while listing; nothing beyond that.
        let fdLine = output.split(separator: "\n").first { $0.hasPrefix("0 ") }
        #expect(fdLine.map { $0.split(separator: " ").count <= 4 } == true, "fds: \(String(describing: fdLine))")
    }
}
