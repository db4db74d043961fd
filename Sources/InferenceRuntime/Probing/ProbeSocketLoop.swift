import Foundation
import Glibc
import InferenceBackends

/// One thread that carries every loopback probe at once: non-blocking sockets and one poll(2),
/// which sleeps until a socket or a deadline needs it. A probe costs its few system calls, with
/// no connection pool, channel pipeline or thread hop per request; and no task of the
/// cooperative pool ever blocks on a socket.
final class ProbeSocketLoop: @unchecked Sendable {
    static let shared = ProbeSocketLoop()

    /// Sockets open at once; more probes wait their turn (their deadline runs meanwhile).
    static let maximumConcurrent = 128

    /// One request and its answer. Fields without a note belong to the loop's thread.
    final class Exchange: @unchecked Sendable {
        let target: LoopbackTarget
        let request: [UInt8]
        let deadline: UInt64
        let bodyLimit: Int
        /// Set before the exchange is submitted, resumed once by the loop's thread.
        var continuation: CheckedContinuation<ProbeResponse, Never>?
        /// Guarded by the loop's lock.
        var cancelled = false
        var fd: Int32 = -1
        var connected = false
        var sent = 0
        var received: [UInt8] = []

        init(target: LoopbackTarget, request: [UInt8], timeout: Duration, bodyLimit: Int) {
            self.target = target
            self.request = request
            self.deadline = Monotonic.now + UInt64(max(0, timeout.milliseconds)) * 1_000_000
            self.bodyLimit = bodyLimit
        }
    }

    private let lock = NSLock()
    // Guarded by `lock`.
    private var submitted: [Exchange] = []
    private var running = false
    /// A pipe that wakes the poll when a probe is submitted or cancelled: read end, write end.
    private let wakePipe: (read: Int32, write: Int32) = {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { fatalError("pipe: \(errnoText(errno))") }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        return (ends[0], ends[1])
    }()

    func perform(_ exchange: Exchange) async -> ProbeResponse {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                exchange.continuation = continuation
                let start = lock.withLock { () -> Bool in
                    submitted.append(exchange)
                    defer { running = true }
                    return !running
                }
                if start {
                    let thread = Thread { [self] in run() }
                    thread.name = "inferctl-probes"
                    thread.start()
                } else {
                    wake()
                }
            }
        } onCancel: {
            lock.withLock { exchange.cancelled = true }
            wake()
        }
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = Glibc.write(wakePipe.write, &byte, 1) // a full pipe already wakes it
    }

    // MARK: The loop's thread

    private func run() {
        var active: [Exchange] = []
        var waiting: [Exchange] = []
        while true {
            let (new, cancelled) = lock.withLock { () -> ([Exchange], [ObjectIdentifier]) in
                defer { submitted.removeAll() }
                let cancelled = (active + waiting + submitted).filter(\.cancelled).map(ObjectIdentifier.init)
                return (submitted, cancelled)
            }
            waiting += new
            for exchange in (active + waiting) where cancelled.contains(ObjectIdentifier(exchange)) {
                finish(exchange, .unreachable("cancelled"))
            }
            while active.count < Self.maximumConcurrent, !waiting.isEmpty {
                let exchange = waiting.removeFirst()
                if exchange.continuation != nil { connect(exchange) }
                active.append(exchange)
            }
            let now = Monotonic.now
            for exchange in active + waiting where exchange.continuation != nil && now >= exchange.deadline {
                finish(exchange, .unreachable("timed out"))
            }
            active.removeAll { $0.continuation == nil }
            waiting.removeAll { $0.continuation == nil }

            var descriptors = [pollfd(fd: wakePipe.read, events: Int16(POLLIN), revents: 0)]
            for exchange in active {
                let writing = !exchange.connected || exchange.sent < exchange.request.count
                descriptors.append(pollfd(fd: exchange.fd, events: Int16(writing ? POLLOUT : POLLIN), revents: 0))
            }
            let nearest = (active + waiting).map(\.deadline).min()
            let timeout = nearest.map { Int32(clamping: ($0 > now ? $0 - now : 0) / 1_000_000 + 1) } ?? -1
            let ready = poll(&descriptors, nfds_t(descriptors.count), timeout)
            guard ready > 0 else { continue }
            if descriptors[0].revents != 0 {
                var drained = [UInt8](repeating: 0, count: 256)
                while Glibc.read(wakePipe.read, &drained, drained.count) > 0 {}
            }
            for (index, exchange) in active.enumerated() where descriptors[index + 1].revents != 0 {
                advance(exchange)
            }
        }
    }

    private func connect(_ exchange: Exchange) {
        let family = exchange.target.address == .ipv6Loopback ? AF_INET6 : AF_INET
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return finish(exchange, .unreachable(Self.describe(errno))) }
        exchange.fd = fd
        let result: Int32
        switch exchange.target.address {
        case .ipv4(let host):
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = exchange.target.port.bigEndian
            address.sin_addr = in_addr(s_addr: host.bigEndian)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        case .ipv6Loopback:
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = exchange.target.port.bigEndian
            address.sin6_addr = in6addr_loopback
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        }
        if result == 0 {
            exchange.connected = true
        } else if errno != EINPROGRESS {
            finish(exchange, .unreachable(Self.describe(errno)))
        }
    }

    /// The socket is ready for what the exchange waits on: connection, sending, or the answer.
    private func advance(_ exchange: Exchange) {
        if !exchange.connected {
            var code: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(exchange.fd, SOL_SOCKET, SO_ERROR, &code, &length)
            guard code == 0 else { return finish(exchange, .unreachable(Self.describe(code))) }
            exchange.connected = true
        }
        while exchange.sent < exchange.request.count {
            let count = exchange.request.withUnsafeBytes { bytes in
                send(exchange.fd, bytes.baseAddress! + exchange.sent, bytes.count - exchange.sent, Int32(MSG_NOSIGNAL))
            }
            if count < 0 {
                if errno == EAGAIN || errno == EINTR { return }
                return finish(exchange, .unreachable(Self.describe(errno)))
            }
            exchange.sent += count
            if exchange.sent == exchange.request.count { return } // the answer comes with the next poll
        }
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        var atEnd = false
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(exchange.fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                exchange.received.append(contentsOf: chunk[0..<count])
                if exchange.received.count > exchange.bodyLimit + HTTPResponseParser.headerLimit { break }
                continue
            }
            if count == 0 { atEnd = true; break }
            if errno == EINTR { continue }
            if errno == EAGAIN { break }
            // A reset after a whole answer is still that answer.
            if case .complete = HTTPResponseParser.parse(exchange.received, atEnd: true, bodyLimit: exchange.bodyLimit) {
                atEnd = true
                break
            }
            return finish(exchange, .unreachable(Self.describe(errno)))
        }
        switch HTTPResponseParser.parse(exchange.received, atEnd: atEnd, bodyLimit: exchange.bodyLimit) {
        case .incomplete: return
        case .complete(let status, let body): finish(exchange, .answered(status: status, body: String(decoding: body, as: UTF8.self)))
        case .invalid(let why): finish(exchange, .unreachable(why))
        }
    }

    private func finish(_ exchange: Exchange, _ response: ProbeResponse) {
        if exchange.fd >= 0 {
            close(exchange.fd)
            exchange.fd = -1
        }
        exchange.continuation?.resume(returning: response)
        exchange.continuation = nil
    }

    /// The same words the general client's errors are reduced to (`AsyncHTTPProber.describe`).
    static func describe(_ code: Int32) -> String {
        switch code {
        case ECONNREFUSED: "connection refused"
        case ECONNRESET, EPIPE: "connection reset"
        case ETIMEDOUT: "timed out"
        default: errnoText(code).lowercased()
        }
    }
}

/// CLOCK_MONOTONIC in nanoseconds.
enum Monotonic {
    static var now: UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
