import Foundation
import Testing

/// A mistyped DIR must be an error, never a new empty directory (with a lock in it) that hides the typo.
extension EndToEnd {
    @Test("a DIR that does not exist: down exits 1 saying so, and no command creates it")
    func missingDirectoryIsNeverCreated() async throws {
        try await withWorkspace("missing-dir") { ws in
            let missing = ws.path("not/there")
            let down = try await ws.inferctl("down", missing)
            #expect(down.status == 1, "\(down)")
            #expect(down.stderr.contains("error: no such directory: \(missing)"), "\(down)")
            #expect(!ws.exists(ws.path("not")), "down created \(missing)")

            for verb in [["apply", missing], ["plan", missing], ["status", missing], ["logs", "alpha", missing]] {
                let result = try await Inferctl.run(verb)
                #expect(!ws.exists(ws.path("not")), "inferctl \(verb.joined(separator: " ")) created \(missing): \(result)")
            }
        }
    }

    @Test("a DIR that is a file: down exits 1 saying so")
    func fileAsDirectoryIsRefused() async throws {
        try await withWorkspace("file-dir") { ws in
            try ws.write("plain.txt", "not a directory\n")
            let down = try await ws.inferctl("down", ws.path("plain.txt"))
            #expect(down.status == 1, "\(down)")
            #expect(down.stderr.contains("error: not a directory: \(ws.path("plain.txt"))"), "\(down)")
        }
    }
}
