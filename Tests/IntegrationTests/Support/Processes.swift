import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What /proc says about processes, for checks that a server is (or is not) running.
enum Processes {
    /// The `stat` fields after the command name: index 0 is the state (field 3),
    /// index 19 is the start time in clock ticks (field 22).
    private static func statFields(_ pid: Int32) -> [Substring]? {
        guard pid > 0,
              let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        return text[text.index(after: close)...].split(separator: " ")
    }

    /// Alive and not a zombie: a killed server reparented to an init that has not reaped it yet counts as gone.
    static func isAlive(_ pid: Int32) -> Bool {
        guard let state = statFields(pid)?.first else { return false }
        return state != "Z" && state != "X" && state != "x"
    }

    static func startTimeTicks(_ pid: Int32) -> UInt64? {
        guard let fields = statFields(pid), fields.count > 19 else { return nil }
        return UInt64(fields[19])
    }

    /// Every live process whose working directory is `directory`. Servers we spawn run in the
    /// manifest directory, so this finds every server of a test's directory, recorded or not.
    static func running(inDirectory directory: String) -> [Int32] {
        let target = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        let me = getpid()
        return entries.compactMap(Int32.init).filter { pid in
            guard pid != me, isAlive(pid),
                  let cwd = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd") else { return false }
            return cwd == target
        }.sorted()
    }

    /// The environment the process started with (`NAME=value` entries), empty when unreadable.
    static func environment(_ pid: Int32) -> [String] {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\0").map(String.init)
    }

    static func commandLine(_ pid: Int32) -> String {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return "?" }
        return String(decoding: data, as: UTF8.self).split(separator: "\0").joined(separator: " ")
    }

    /// SIGKILLs the pid (and its process group when it leads one): cleanup only.
    static func kill(_ pid: Int32) {
        guard pid > 1, isAlive(pid) else { return }
        if getpgid(pid) == pid, pid != getpgrp() { _ = Glibc.kill(-pid, SIGKILL) }
        _ = Glibc.kill(pid, SIGKILL)
    }
}

/// A TCP port the OS says is free right now on 127.0.0.1 (bound to port 0, read back, closed).
func freePortFromOS() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw PortError() }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else { throw PortError() }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let named = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    guard named == 0 else { throw PortError() }
    return Int(UInt16(bigEndian: address.sin_port))
}

struct PortError: Error {}
