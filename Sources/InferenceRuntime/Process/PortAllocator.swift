import Glibc

/// Finds TCP ports for servers we are about to start.
public enum PortAllocator {
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var host: String
        public var reason: String
        public var description: String { "cannot allocate a port on \(host): \(reason)" }
    }

    /// Asks the kernel for a free port (bind to port 0), then releases it.
    /// Another process could grab it before our server binds: callers should
    /// treat "address in use" at startup as retryable.
    public static func freePort(host: String = "127.0.0.1") throws(Failure) -> Int {
        let socketFD: Int32
        do { socketFD = try boundSocket(host: host, port: 0) } catch {
            throw Failure(host: host, reason: error.description)
        }
        defer { close(socketFD) }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) }
        }
        guard rc == 0 else { throw Failure(host: host, reason: SystemCallError("getsockname").description) }
        let family = Int32(storage.ss_family)
        let port: UInt16 = withUnsafePointer(to: &storage) { pointer in
            if family == AF_INET6 {
                pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_port }
            } else {
                pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_port }
            }
        }
        return Int(UInt16(bigEndian: port))
    }

    /// Whether a server could bind `host:port` now (SO_REUSEADDR, like most
    /// servers, so a port lingering in TIME_WAIT counts as free).
    public static func isPortFree(host: String = "127.0.0.1", port: Int) -> Bool {
        check(host: host, port: port) == .free
    }

    /// What binding `host:port` would meet now.
    public enum BindCheck: Sendable, Equatable {
        case free
        case inUse
        /// The address itself cannot be bound here (not an address of this machine, malformed…).
        case unusable(String)
    }

    public static func check(host: String = "127.0.0.1", port: Int) -> BindCheck {
        guard (1...65535).contains(port) else { return .unusable("port \(port) is out of range") }
        do {
            close(try boundSocket(host: host, port: UInt16(port)))
            return .free
        } catch {
            if error.code == EADDRINUSE { return .inUse }
            if error.code == EADDRNOTAVAIL {
                return .unusable("\(host) is not an address of this machine (\(errnoText(error.code)))")
            }
            return .unusable(error.description)
        }
    }

    /// A TCP socket bound to host:port. "localhost" means 127.0.0.1.
    private static func boundSocket(host: String, port: UInt16) throws(SystemCallError) -> Int32 {
        let address = host == "localhost" ? "127.0.0.1" : host
        let isIPv6 = address.contains(":")
        let fd = socket(isIPv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemCallError("socket") }
        var yes: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let rc: Int32
        if isIPv6 {
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = port.bigEndian
            guard inet_pton(AF_INET6, address, &sin6.sin6_addr) == 1 else {
                close(fd)
                throw SystemCallError("parse address", path: host, code: EINVAL)
            }
            rc = withUnsafePointer(to: &sin6) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        } else {
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = port.bigEndian
            guard inet_pton(AF_INET, address, &sin.sin_addr) == 1 else {
                close(fd)
                throw SystemCallError("parse address", path: host, code: EINVAL)
            }
            rc = withUnsafePointer(to: &sin) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        guard rc == 0 else {
            let error = SystemCallError("bind", path: "\(host):\(port)")
            close(fd)
            throw error
        }
        return fd
    }
}
