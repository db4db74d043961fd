import Foundation
import Glibc
import Testing
@testable import InferenceRuntime

/// Collects onWait messages from the lock.
private final class Messages: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func append(_ message: String) { lock.withLock { items.append(message) } }
    var all: [String] { lock.withLock { items } }
}

@Suite struct DirectoryLockTests {
    @Test func secondAcquireWaitsTimesOutThenSucceedsAfterRelease() async throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/state/lock"
        let first = try await DirectoryLock.acquire(path: path, timeout: .seconds(1),
                                                    holderDescription: "inferctl apply")
        #expect(readText(path) == "\(getpid())\ninferctl apply\n")
        let descriptorFlags = try lockDescriptorIsCloseOnExec(path)
        #expect(descriptorFlags)

        let messages = Messages()
        let clock = ContinuousClock()
        let started = clock.now
        await #expect(throws: LockTimeout.self) {
            _ = try await DirectoryLock.acquire(path: path, timeout: .milliseconds(300)) { messages.append($0) }
        }
        #expect(clock.now - started >= .milliseconds(300))
        #expect(messages.all == ["waiting for lock held by pid \(getpid()) (inferctl apply)…"])

        // Released while a waiter is waiting: it gets the lock.
        async let second = DirectoryLock.acquire(path: path, timeout: .seconds(5), holderDescription: "inferctl down")
        try await Task.sleep(for: .milliseconds(50)) // let it start waiting (not a correctness wait)
        first.release()
        first.release() // idempotent
        let secondLock = try await second
        #expect(secondLock.isHeld)
        #expect(readText(path).hasSuffix("inferctl down\n"))
        secondLock.release()
        #expect(!secondLock.isHeld)
    }

    @Test func timeoutMessageIsClear() {
        let error = LockTimeout(path: "/s/lock", holder: "pid 12 (inferctl apply)", waited: .seconds(2))
        #expect(error.description == "timed out after 2.0 seconds waiting for lock /s/lock held by pid 12 (inferctl apply)")
    }

    /// Finds our descriptor for `path` in /proc/self/fd and checks O_CLOEXEC.
    private func lockDescriptorIsCloseOnExec(_ path: String) throws -> Bool {
        for name in try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            guard let fd = Int32(name),
                  let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(name)"),
                  target == path
            else { continue }
            return fcntl(fd, F_GETFD) & FD_CLOEXEC != 0
        }
        return false
    }
}
