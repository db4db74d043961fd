import Foundation
import Testing

/// Nothing inferctl writes in the state folder goes through a symbolic link planted there: the link is
/// refused with a clear error and whatever it points to is left exactly as it was.
extension EndToEnd {
    /// A file outside the workspace that a planted link points to; it must never change.
    struct Victim {
        let path: String
        let content = "victim content: must never change\n"

        init() throws {
            path = NSTemporaryDirectory() + "inferctl-it-victim-\(UUID().uuidString.prefix(8)).txt"
            try content.write(toFile: path, atomically: true, encoding: .utf8)
        }

        var isUntouched: Bool { (try? String(contentsOfFile: path, encoding: .utf8)) == content }
        func remove() { try? FileManager.default.removeItem(atPath: path) }
    }

    static let refusal = "is a symbolic link; refusing to write through it"

    @Test("a symlinked .inferctl/lock: apply and down refuse it, and its target is untouched")
    func symlinkedLockIsRefused() async throws {
        try await withWorkspace("symlink-lock") { ws in
            let victim = try Victim()
            defer { victim.remove() }
            try ws.write("alpha.yaml", SimInstance(name: "alpha").yaml)
            try FileManager.default.createDirectory(atPath: ws.stateDir, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: ws.stateDir + "/lock", withDestinationPath: victim.path)

            for command in ["apply", "down"] {
                let result = try await ws.inferctl(command, ws.dir)
                #expect(result.status == 1, "\(result)")
                #expect(result.stderr.contains("\(ws.stateDir)/lock \(Self.refusal)"), "\(result)")
                #expect(victim.isUntouched, "\(command) wrote through the lock link")
            }
            #expect(Processes.running(inDirectory: ws.dir).isEmpty, "apply started a server without its lock")
            #expect(!ws.exists(ws.instanceStatusPath("alpha")))
            try ws.remove(".inferctl/lock") // so the teardown's `down` can lock
        }
    }

    @Test("a symlinked state folder (.inferctl or .inferctl/instances) is refused; nothing is written through it")
    func symlinkedStateFolderIsRefused() async throws {
        try await withWorkspace("symlink-state") { ws in
            let elsewhere = NSTemporaryDirectory() + "inferctl-it-elsewhere-\(UUID().uuidString.prefix(8))"
            try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: elsewhere) }
            try ws.write("alpha.yaml", SimInstance(name: "alpha").yaml)

            for linked in [".inferctl", ".inferctl/instances"] {
                if linked != ".inferctl" { try FileManager.default.createDirectory(atPath: ws.stateDir, withIntermediateDirectories: true) }
                try FileManager.default.createSymbolicLink(atPath: ws.path(linked), withDestinationPath: elsewhere)
                let apply = try await ws.inferctl("apply", ws.dir)
                #expect(apply.status == 1, "\(apply)")
                #expect(apply.stderr.contains("\(ws.path(linked)) \(Self.refusal)"), "\(apply)")
                #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere).isEmpty, "apply wrote through \(linked)")
                #expect(Processes.running(inDirectory: ws.dir).isEmpty)
                try ws.remove(linked)
            }
        }
    }

    /// Refusing (rather than replacing the link with a fresh log) keeps one rule for the whole state folder,
    /// and deletes nothing a person may have put there on purpose; the message says what to remove.
    @Test("a symlinked server log: that instance fails saying why, the others run, the link's target is untouched")
    func symlinkedLogIsRefused() async throws {
        try await withWorkspace("symlink-log") { ws in
            let victim = try Victim()
            defer { victim.remove() }
            try ws.write("servers.yaml", documents(SimInstance(name: "alpha").yaml, SimInstance(name: "beta").yaml))
            let logs = ws.stateDir + "/logs"
            try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: logs + "/alpha.log", withDestinationPath: victim.path)

            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 1, "\(apply)")
            let message = "cannot open log file: \(logs)/alpha.log \(Self.refusal)"
            let alpha = try ws.instanceStatus("alpha")
            #expect(alpha.string("phase") == "Failed", "\(alpha)")
            #expect(alpha.string("message") == message, "\(alpha)")
            #expect(alpha.objects("conditions").contains { $0.string("reason") == "LaunchFailed" }, "\(alpha)")
            #expect(apply.stderr.contains("alpha: Failed: \(message)"), "\(apply)")
            #expect(try ws.instanceStatus("beta").string("phase") == "Ready")
            #expect(Processes.running(inDirectory: ws.dir) == [try ws.pid("beta")], "only beta runs")
            #expect(victim.isUntouched, "the server's output or our marker went through the link")

            // Once the link is gone, the next apply starts alpha with a log of its own.
            try ws.remove(".inferctl/logs/alpha.log")
            let again = try await ws.inferctl("apply", ws.dir)
            #expect(again.status == 0, "\(again)")
            #expect(try ws.instanceStatus("alpha").string("phase") == "Ready")
            #expect(victim.isUntouched)
        }
    }
}
