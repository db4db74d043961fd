import Foundation
import InferenceModel

/// The ports of one pass: the written one, or for `auto` the one an instance had before (so URLs
/// do not churn across restarts), or a new free one. An automatic port is handed out once: never
/// to two instances of a pass, never one that another record holds. (The OS picks a free port by
/// binding port 0; the socket is closed before the server binds it, and parallel requests could
/// otherwise be given the same one.)
final class PortBook: @unchecked Sendable {
    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    private let lock = NSLock()
    /// Port -> the instance holding it (recorded, or handed out in this pass); read on first use.
    private var holdersStorage: [Int: String]?
    private let loadRecords: @Sendable () -> [InstanceRecord]

    init(records: [InstanceRecord]) {
        loadRecords = { records }
    }

    /// Reads the records only when a port is first asked for (most reconciles need none).
    init(loading: @escaping @Sendable () -> [InstanceRecord]) {
        loadRecords = loading
    }

    /// Call with `lock` held.
    private var holders: [Int: String] {
        get {
            if let holdersStorage { return holdersStorage }
            var loaded: [Int: String] = [:]
            for record in loadRecords() {
                if let port = record.port { loaded[port] = loaded[port] ?? record.name }
                if let port = record.surge?.port { loaded[port] = loaded[port] ?? record.name }
                for old in record.retiring ?? [] { if let port = old.port { loaded[port] = loaded[port] ?? record.name } }
            }
            holdersStorage = loaded
            return loaded
        }
        set { holdersStorage = newValue }
    }

    /// A port for `instance`, reserved for it. `kept` is its previous port; `excluding` are ports
    /// that just failed it (taken by someone else meanwhile).
    func reserve(for instance: String, server: ServerSpec, kept: Int?, excluding: Set<Int> = []) throws -> Int {
        let host = Self.bindHost(server.host)
        switch server.port {
        case .fixed(let port):
            switch PortAllocator.check(host: host, port: port) {
            case .free: break
            case .inUse: throw Unavailable(description: "port \(port) on \(server.host) is already in use by another process")
            case .unusable(let why): throw Unavailable(description: "cannot serve on \(server.host):\(port): \(why)")
            }
            return lock.withLock { holders[port] = instance; return port }
        case .auto:
            if let kept, !excluding.contains(kept), isMine(kept, instance), PortAllocator.check(host: host, port: kept) == .free {
                return kept
            }
            for _ in 0..<50 {
                let candidate: Int
                do {
                    candidate = try PortAllocator.freePort(host: host)
                } catch {
                    throw Unavailable(description: "cannot serve on \(server.host): \(error.reason)")
                }
                if excluding.contains(candidate) { continue }
                let taken = lock.withLock { () -> Bool in
                    if let holder = holders[candidate], holder != instance { return true }
                    holders[candidate] = instance
                    return false
                }
                if !taken { return candidate }
            }
            throw Unavailable(description: "no free port on \(server.host) that no other instance holds")
        }
    }

    private func isMine(_ port: Int, _ instance: String) -> Bool {
        lock.withLock {
            if let holder = holders[port], holder != instance { return false }
            holders[port] = instance
            return true
        }
    }

    static func bindHost(_ host: String) -> String {
        host == "localhost" ? "127.0.0.1" : host
    }
}
