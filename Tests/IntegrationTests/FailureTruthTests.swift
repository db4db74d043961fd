import Foundation
import Testing

/// A failure stays a failure, and nothing is reported as done that could not be recorded.
@Suite("failures are told as they are", .serialized, .timeLimit(.minutes(3)))
struct FailureTruthTests {
    @Test("a server stopped for failing readiness is a failure, whatever its exit code; the next apply starts it again")
    func readinessFailureStaysAFailure() async throws {
        try await withWorkspace("readiness-failure") { ws in
            try ws.write("slow.yaml", documents(
                SimInstance(name: "slow", extraArgs: ["--load-delay", "3s"], readinessTimeout: "1s", gracePeriod: "5s").yaml,
                consumerYAML("agent", instance: "slow")))
            let first = try await ws.inferctl("apply", ws.dir)
            #expect(first.status == 1, "\(first)")
            let status = try ws.instanceStatus("slow")
            #expect(status.string("phase") == "Failed")
            #expect(status.string("last_exit.failed_check") == "ReadinessTimeout", "\(status)")
            #expect(Processes.running(inDirectory: ws.dir).isEmpty)

            let plan = try await ws.inferctl("plan", ws.dir, "--detailed-exitcode")
            #expect(plan.status == 2, "\(plan)")
            let row = try #require(planRow("slow", in: plan.stdout), "\(plan)")
            #expect(row[1] == "restart", "\(plan)")
            #expect(row[3].contains("ReadinessTimeout"), "\(plan)")

            let second = try await ws.inferctl("apply", ws.dir)
            #expect(second.status == 1, "\(second)")
            #expect(!second.stdout.contains("No changes"), "\(second)")
            #expect(try ws.instanceStatus("slow").int("restarts") == 1)
            #expect(try ws.consumerStatus("agent").bool("ready") == false)
        }
    }

    @Test("plan explains a crashed instance whose restart policy is Never instead of saying nothing")
    func crashedNeverIsExplained() async throws {
        try await withWorkspace("never") { ws in
            let yaml = SimInstance(name: "once", extraArgs: ["--crash-after", "500ms"]).yaml + "  restart: {policy: Never}\n"
            try ws.write("once.yaml", yaml)
            #expect(try await ws.inferctl("apply", ws.dir).status == 0)
            let pid = try ws.pid("once")
            try await eventually("the simulated crash") { !Processes.isAlive(pid) }
            let plan = try await ws.inferctl("plan", ws.dir)
            #expect(plan.stdout.contains("1 not running and not to be restarted (restart policy): once"), "\(plan)")
            let json = try await ws.inferctl("plan", ws.dir, "-o", "json")
            #expect(json.stdout.contains("\"not_running\" : true"), "\(json)")
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 1, "a crashed instance is not a success: \(apply)")
            #expect(try ws.instanceStatus("once").string("phase") == "Failed")
        }
    }

    @Test("on a full disk apply starts nothing it cannot record, says why and exits 1; down reports it too")
    func diskFull() async throws {
        let mount = try DiskFullMount()
        guard mount.mounted else {
            print("SKIPPED diskFull: cannot mount a tmpfs here (\(mount.why)); needs root with CAP_SYS_ADMIN")
            return
        }
        defer { mount.unmount() }
        let dir = mount.path + "/manifests"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try SimInstance(name: "alpha").yaml.write(toFile: dir + "/alpha.yaml", atomically: true, encoding: .utf8)
        defer {
            Processes.running(inDirectory: dir).forEach(Processes.kill)
        }
        try mount.fill()
        let apply = try await Inferctl.run(["apply", dir])
        #expect(apply.status == 1, "\(apply)")
        #expect(apply.stderr.contains("No space left on device"), "\(apply)")
        #expect(!apply.stdout.contains("Apply complete"), "\(apply)")
        #expect(Processes.running(inDirectory: dir).isEmpty, "a server was left running without a record")

        try mount.unfill()
        let again = try await Inferctl.run(["apply", dir])
        #expect(again.status == 0, "\(again)")
        let server = try #require(Processes.running(inDirectory: dir).first)

        try mount.fill()
        let down = try await Inferctl.run(["down", dir])
        #expect(down.status == 1, "down cannot record the stop: \(down)")
        #expect(down.stderr.contains("No space left on device"), "\(down)")
        try mount.unfill()
        let finalDown = try await Inferctl.run(["down", dir])
        #expect(finalDown.status == 0, "\(finalDown)")
        #expect(!Processes.isAlive(server))
    }
}

/// A small tmpfs the test can fill up, where the machine lets us mount one.
final class DiskFullMount: @unchecked Sendable {
    let path: String
    private(set) var mounted = false
    private(set) var why = ""
    private var filler: String { path + "/filler" }

    init() throws {
        path = NSTemporaryDirectory() + "inferctl-diskfull-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let result = Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", path])
        mounted = result.status == 0
        why = result.output
    }

    /// Fills every free byte.
    func fill() throws {
        let fd = open(filler, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        defer { close(fd) }
        let chunk = [UInt8](repeating: 0, count: 4096)
        while chunk.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) > 0 {}
        var one: UInt8 = 0
        while write(fd, &one, 1) > 0 {}
    }

    func unfill() throws {
        try FileManager.default.removeItem(atPath: filler)
    }

    func unmount() {
        _ = Self.run("/bin/umount", ["-l", path])
        try? FileManager.default.removeItem(atPath: path)
    }

    static func run(_ executable: String, _ arguments: [String]) -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return (-1, "\(error)") }
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }
}
