import Foundation
import Glibc
import Testing
@testable import InferenceRuntime

/// Nothing we open for writing follows a symbolic link: a link planted where we write (the lock, a log)
/// would otherwise aim our writes, truncations and copies at any file we can reach.
@Suite struct SymlinkRefusalTests {
    /// A scratch directory holding `victim` (a file that must stay as it is) and a link to it at `linkName`.
    private struct Trap {
        let dir: String
        let victim: String
        let link: String
        static let content = "precious content\n"

        init(linkName: String, function: String = #function) throws {
            dir = makeScratchDirectory(function)
            victim = dir + "/victim.txt"
            link = dir + "/" + linkName
            try Self.content.write(toFile: victim, atomically: false, encoding: .utf8)
            try FileManager.default.createDirectory(atPath: (link as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: victim)
        }

        var victimIsUntouched: Bool { readText(victim) == Self.content }
        func remove() { try? FileManager.default.removeItem(atPath: dir) }
    }

    private let refusal = "is a symbolic link; refusing to write through it"

    @Test func theOpenerRefusesALinkAndAFIFO() throws {
        let trap = try Trap(linkName: "file")
        defer { trap.remove() }
        #expect(throws: SystemCallError.refusedSymbolicLink(trap.link)) {
            _ = try openRegularFileForWriting(trap.link, flags: O_WRONLY | O_APPEND | O_CREAT)
        }
        #expect(SystemCallError.refusedSymbolicLink(trap.link).description == "\(trap.link) \(refusal)")
        // A FIFO with no reader: refused at once instead of blocking the open.
        #expect(mkfifo(trap.dir + "/fifo", 0o600) == 0)
        #expect(throws: SystemCallError.notARegularFile(trap.dir + "/fifo")) {
            _ = try openRegularFileForWriting(trap.dir + "/fifo", flags: O_WRONLY)
        }
        // A plain file is opened, blocking (the descriptor goes to servers as their stdout).
        let fd = try openRegularFileForWriting(trap.dir + "/plain", flags: O_WRONLY | O_CREAT)
        defer { close(fd) }
        #expect(fcntl(fd, F_GETFL) & O_NONBLOCK == 0)
        #expect(fcntl(fd, F_GETFD) & FD_CLOEXEC != 0)
        #expect(trap.victimIsUntouched)
    }

    @Test func theLockRefusesALinkAndLeavesItsTargetAlone() async throws {
        let trap = try Trap(linkName: "state/lock")
        defer { trap.remove() }
        await #expect(throws: SystemCallError.refusedSymbolicLink(trap.link)) {
            _ = try await DirectoryLock.acquire(path: trap.link, timeout: .seconds(1))
        }
        #expect(trap.victimIsUntouched, "the lock truncated or wrote its target")
    }

    @Test func aServerLogThatIsALinkIsRefusedAndNoProcessStarts() throws {
        let trap = try Trap(linkName: "logs/server.log")
        defer { trap.remove() }
        let request = LaunchRequest(executable: "/bin/sh", arguments: ["-c", "echo written-through-link"],
                                    environment: testEnvironment, logPath: trap.link)
        #expect(throws: LaunchError.logUnavailable(.refusedSymbolicLink(trap.link))) {
            _ = try ProcessLauncher().launch(request)
        }
        #expect(LaunchError.logUnavailable(.refusedSymbolicLink(trap.link)).description
            == "cannot open log file: \(trap.link) \(refusal)")
        #expect(trap.victimIsUntouched)
    }

    @Test func theLogMarkerWritesNothingThroughALink() throws {
        let trap = try Trap(linkName: "logs/server.log")
        defer { trap.remove() }
        LogMarker.append("starting server", to: trap.link, now: Date())
        #expect(trap.victimIsUntouched)
    }

    @Test func rotationNeitherCopiesNorTruncatesALinkedLog() throws {
        let trap = try Trap(linkName: "logs/server.log")
        defer { trap.remove() }
        #expect(throws: SystemCallError.refusedSymbolicLink(trap.link)) {
            try LogFiles.rotateIfNeeded(path: trap.link, maxBytes: 1, keep: 2)
        }
        #expect(trap.victimIsUntouched, "rotation truncated the link's target")
        #expect(!FileManager.default.fileExists(atPath: trap.link + ".1"), "rotation copied the link's target")
    }

    @Test func rotationNeverCopiesIntoALinkedBackup() throws {
        let trap = try Trap(linkName: "logs/server.log.1")
        defer { trap.remove() }
        let log = trap.dir + "/logs/server.log"
        try "a full log\n".write(toFile: log, atomically: false, encoding: .utf8)
        // The planted `.1` is shifted to `.2` by rename (which moves a link, never follows it); the copy
        // goes to a fresh `.1`.
        #expect(try LogFiles.rotateIfNeeded(path: log, maxBytes: 1, keep: 2))
        #expect(trap.victimIsUntouched)
        #expect(!isSymbolicLink(log + ".1"))
        #expect(readText(log + ".1") == "a full log\n")
        #expect(readText(log).isEmpty)
    }

    @Test func atomicWritesReplaceALinkInsteadOfWritingThroughIt() throws {
        let trap = try Trap(linkName: "a.instance.status.json")
        defer { trap.remove() }
        try AtomicFileWriter.write("{}\n", to: trap.link)
        #expect(trap.victimIsUntouched)
        #expect(!isSymbolicLink(trap.link))
        #expect(readText(trap.link) == "{}\n")
    }
}

/// True when `path` itself (not what it points to) is a symbolic link.
private func isSymbolicLink(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
}
