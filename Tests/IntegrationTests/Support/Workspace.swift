import Foundation
import Testing

/// One test's manifest directory in a fresh temp folder, and everything it started.
/// `teardown()` runs `inferctl down`, kills every pid the test tracked, and kills (and reports)
/// any process still running in the directory, so nothing outlives the test.
final class Workspace: @unchecked Sendable {
    let dir: String
    private let lock = NSLock()
    private var tracked: [Int32] = []

    init(_ label: String) throws {
        let base = URL(fileURLWithPath: NSTemporaryDirectory()).resolvingSymlinksInPath()
        let url = base.appendingPathComponent("inferctl-it-\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        dir = url.path
    }

    var stateDir: String { dir + "/.inferctl" }
    func path(_ relative: String) -> String { dir + "/" + relative }
    func recordPath(_ instance: String) -> String { stateDir + "/instances/\(instance).json" }
    func instanceStatusPath(_ instance: String) -> String { path("\(instance).instance.status.json") }
    func consumerStatusPath(_ consumer: String) -> String { path("\(consumer).consumer.status.json") }

    // MARK: files

    func write(_ file: String, _ text: String) throws {
        let url = URL(fileURLWithPath: path(file))
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    func remove(_ file: String) throws {
        try FileManager.default.removeItem(atPath: path(file))
    }

    func exists(_ absolutePath: String) -> Bool {
        FileManager.default.fileExists(atPath: absolutePath)
    }

    func json(at absolutePath: String) throws -> JSONObject {
        let data = try Data(contentsOf: URL(fileURLWithPath: absolutePath))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw NotAJSONObject(path: absolutePath)
        }
        return JSONObject(object)
    }

    func instanceStatus(_ name: String) throws -> JSONObject { try json(at: instanceStatusPath(name)) }
    func consumerStatus(_ name: String) throws -> JSONObject { try json(at: consumerStatusPath(name)) }
    func record(_ name: String) throws -> JSONObject { try json(at: recordPath(name)) }

    /// The pid the status file of `instance` names.
    func pid(_ instance: String) throws -> Int32 {
        try #require(try instanceStatus(instance).int("pid").map(Int32.init), "no pid in \(instance)'s status")
    }

    // MARK: commands

    /// `inferctl ARGS` as given (write `dir` where the command takes it).
    @discardableResult
    func inferctl(_ arguments: String..., timeout: Duration = .seconds(60)) async throws -> CommandResult {
        try await Inferctl.run(arguments, timeout: timeout)
    }

    // MARK: cleanup

    /// Kills `pid` at teardown (a server or helper process the test knows about).
    func track(_ pid: Int32) {
        lock.withLock { tracked.append(pid) }
    }

    func teardown() async {
        if FileManager.default.fileExists(atPath: stateDir) {
            do {
                let down = try await Inferctl.run(["down", dir, "--lock-timeout", "20s"], timeout: .seconds(40))
                if down.status != 0 { Issue.record("teardown: \(down)") }
            } catch {
                Issue.record("teardown: inferctl down failed: \(error)")
            }
        }
        let known = lock.withLock { tracked }
        known.forEach(Processes.kill)
        // SIGKILL is delivered asynchronously: wait for them to be gone before looking for leftovers.
        try? await eventually("tracked processes to die", timeout: .seconds(5)) { !known.contains(where: Processes.isAlive) }
        let leftovers = Processes.running(inDirectory: dir)
        if !leftovers.isEmpty {
            let described = leftovers.map { "\($0): \(Processes.commandLine($0))" }.joined(separator: "; ")
            leftovers.forEach(Processes.kill)
            Issue.record("processes outlived `inferctl down` in \(dir): \(described)")
        }
        try? FileManager.default.removeItem(atPath: dir)
    }
}

/// Runs `body` with a fresh workspace and always tears it down, also when `body` throws.
func withWorkspace(_ label: String, _ body: (Workspace) async throws -> Void) async throws {
    let workspace = try Workspace(label)
    do {
        try await body(workspace)
    } catch {
        await workspace.teardown()
        throw error
    }
    await workspace.teardown()
}

struct NotAJSONObject: Error, CustomStringConvertible {
    let path: String
    var description: String { "\(path) does not hold a JSON object" }
}

/// A decoded JSON object with typed accessors; a dotted path reaches into nested objects (`endpoint.base_url`).
struct JSONObject: @unchecked Sendable, CustomStringConvertible {
    let raw: [String: Any]

    init(_ raw: [String: Any]) { self.raw = raw }

    func value(_ path: String) -> Any? {
        var current: Any? = raw
        for key in path.split(separator: ".") {
            current = (current as? [String: Any])?[String(key)]
        }
        return current
    }

    func string(_ path: String) -> String? { value(path) as? String }
    func int(_ path: String) -> Int? { (value(path) as? NSNumber)?.intValue }
    func bool(_ path: String) -> Bool? { (value(path) as? NSNumber)?.boolValue }
    func object(_ path: String) -> JSONObject? { (value(path) as? [String: Any]).map(JSONObject.init) }
    func objects(_ path: String) -> [JSONObject] { ((value(path) as? [Any]) ?? []).compactMap { ($0 as? [String: Any]).map(JSONObject.init) } }
    func has(_ path: String) -> Bool { value(path) != nil && !(value(path) is NSNull) }

    var description: String {
        guard let data = try? JSONSerialization.data(withJSONObject: raw, options: [.prettyPrinted, .sortedKeys]) else { return "\(raw)" }
        return String(decoding: data, as: UTF8.self)
    }
}
