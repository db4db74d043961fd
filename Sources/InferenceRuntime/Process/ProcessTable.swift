import Foundation
import Glibc

/// Reads the kernel's process table through /proc (Linux).
public struct ProcessTable: Sendable {
    public init() {}

    /// The identity of a live (or zombie) pid right now, nil if there is none.
    public func identity(of pid: Int32) -> ProcessIdentity? {
        guard let stat = stat(of: pid) else { return nil }
        return ProcessIdentity(pid: pid, startTimeTicks: stat.startTimeTicks, bootID: Self.currentBootID)
    }

    /// Classifies the process named by `identity`.
    public func status(of identity: ProcessIdentity) -> ProcessLiveness {
        guard identity.pid > 0, let stat = stat(of: identity.pid) else { return .gone }
        if identity.bootID != Self.currentBootID || stat.startTimeTicks != identity.startTimeTicks {
            return .reused
        }
        return stat.isZombieOrDead ? .zombie : .running
    }

    /// Classifies the process a record claims, with the proof of ownership: alive and the very
    /// same process is not enough, it must also hold the claim's spawn token.
    public func status(of claim: ProcessClaim) -> ProcessLiveness {
        let liveness = status(of: claim.identity)
        guard liveness == .running else { return liveness }
        return holdsEnvironmentEntry(pid: claim.identity.pid, claim.environmentEntry) ? .running : .unproven
    }

    /// Whether the environment the process started with holds exactly `entry` (`NAME=value`).
    /// Unreadable (another user's process, or gone) counts as no.
    public func holdsEnvironmentEntry(pid: Int32, _ entry: String) -> Bool {
        // A process in the middle of an exec (a shell exec'ing the real server) briefly shows an
        // empty environment: look again for a moment before saying no. An unreadable one (another
        // user's process) is a no at once.
        let wanted = Array(entry.utf8)
        for attempt in 0..<100 {
            guard let block = environmentBlock(of: pid) else { return false }
            if block.contains(where: { $0 != 0 }) { return EnvironmentBlock.entries(of: block).contains { $0.elementsEqual(wanted) } }
            if attempt < 99 { usleep(2_000) }
        }
        return false
    }

    /// `/proc/PID/environ` split on NUL, nil when it cannot be read.
    public func environment(of pid: Int32) -> [Substring]? {
        guard let block = environmentBlock(of: pid) else { return nil }
        return EnvironmentBlock.entries(of: block).map { Substring(decoding: $0, as: UTF8.self) }
    }

    /// `/proc/PID/environ` as it is: entries ended by NUL.
    func environmentBlock(of pid: Int32) -> [UInt8]? {
        guard pid > 0 else { return nil }
        return Self.readSmallFileBytes("/proc/\(pid)/environ")
    }

    /// Every live session leader whose environment holds an entry starting with `prefix`, with its
    /// environment entries that start with `keep`. Our servers lead their own session (setsid), so
    /// this finds each server a state folder started, recorded or not, reading the environment of
    /// session leaders only.
    public func sessionLeaders(withEnvironmentPrefix prefix: String,
                               keeping keep: String) -> [(identity: ProcessIdentity, entries: [String])] {
        guard let directory = opendir("/proc") else { return [] }
        defer { closedir(directory) }
        var found: [(ProcessIdentity, [String])] = []
        let (prefixBytes, keepBytes) = (Array(prefix.utf8), Array(keep.utf8))
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let pid = Int32(name), pid > 1, let stat = stat(of: pid),
                  stat.sessionID == pid, !stat.isZombieOrDead,
                  let block = environmentBlock(of: pid)
            else { continue }
            let entries = EnvironmentBlock.entries(of: block)
            guard entries.contains(where: { $0.starts(with: prefixBytes) }) else { continue }
            found.append((ProcessIdentity(pid: pid, startTimeTicks: stat.startTimeTicks, bootID: Self.currentBootID),
                          entries.filter { $0.starts(with: keepBytes) }.map { String(decoding: $0, as: UTF8.self) }))
        }
        return found
    }

    /// Parsed /proc/PID/stat, nil if the process does not exist.
    public func stat(of pid: Int32) -> ProcStat? {
        guard pid > 0, let bytes = Self.readSmallFileBytes("/proc/\(pid)/stat") else { return nil }
        return ProcStat.parse(bytes: bytes)
    }

    /// Pids in process group `pgid` that have not exited. Zombies do not
    /// count: they are dead, just not yet reaped (orphans wait for init,
    /// which may take a while).
    public func liveMembers(ofGroup pgid: Int32) -> [Int32] {
        guard let directory = opendir("/proc") else { return [] }
        defer { closedir(directory) }
        var members: [Int32] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let pid = Int32(name), let stat = stat(of: pid) else { continue }
            if stat.processGroupID == pgid && !stat.isZombieOrDead { members.append(pid) }
        }
        return members
    }

    /// Changes on every reboot; read once, it cannot change while we run.
    public static let currentBootID: String = {
        readSmallFile("/proc/sys/kernel/random/boot_id").map { String($0.trimmingSpaces) } ?? "unknown-boot"
    }()

    /// Reads a /proc file (whose size stat reports as 0) in one go.
    static func readSmallFile(_ path: String) -> String? {
        readSmallFileBytes(path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The same, as bytes: into one buffer, grown only for a file larger than a page.
    static func readSmallFileBytes(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 4096)
        var count = 0
        while true {
            if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: bytes.count)) }
            let got = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, $0.count - count) }
            if got < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if got == 0 { break }
            count += got
        }
        bytes.removeSubrange(count...)
        return bytes
    }
}

/// A process's environment as the kernel shows it: `NAME=value` entries, each ended by NUL.
enum EnvironmentBlock {
    /// The non-empty entries, as slices of the block (no copies).
    static func entries(of block: [UInt8]) -> [ArraySlice<UInt8>] {
        block.split(separator: 0, omittingEmptySubsequences: true)
    }
}
