import Foundation
import Glibc

/// A plain HTTP/1.1 client for the controller's API, over its Unix socket or TCP, as a script
/// with `curl --unix-socket` would call it (one request per connection, `Connection: close`).
/// Blocking socket calls run on a thread of their own, never on the concurrency pool.
struct APIReply: CustomStringConvertible {
    let status: Int
    let headers: [String: String]
    let body: String

    /// The body as a JSON object (nil if it is not one).
    var object: JSONObject? {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]).map(JSONObject.init)
    }

    /// The body as a JSON array of objects (nil if it is not one).
    var array: [JSONObject]? {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [[String: Any]])?.map(JSONObject.init)
    }

    /// `error.code` and `error.message` of a JSON error body.
    var error: (code: Int, message: String)? {
        guard let code = object?.int("error.code"), let message = object?.string("error.message") else { return nil }
        return (code, message)
    }

    var description: String { "HTTP \(status) \(headers)\n\(body)" }
}

struct APIClientError: Error, CustomStringConvertible {
    let description: String
}

enum APIEndpoint: Sendable {
    case unixSocket(String)
    case tcp(port: Int)
}

enum APIClient {
    static func get(_ endpoint: APIEndpoint, _ target: String, method: String = "GET", headers: [String: String] = [:],
                    timeout: TimeInterval = 10) async throws -> APIReply {
        var request = "\(method) \(target) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        request += "\r\n"
        let raw = try await exchange(endpoint, Array(request.utf8), timeout: timeout) { _ in false }
        return try parse(raw)
    }

    /// Sends `bytes` as they are and returns what came back until the server closed (or `until` held).
    static func exchange(_ endpoint: APIEndpoint, _ bytes: [UInt8], timeout: TimeInterval,
                         until: @escaping @Sendable (String) -> Bool) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                do {
                    continuation.resume(returning: try exchangeBlocking(endpoint, bytes, timeout: timeout, until: until))
                } catch {
                    continuation.resume(throwing: error)
                }
            }.start()
        }
    }

    /// Reads a streaming response (server-sent events) until `until` holds for what arrived, then hangs up.
    static func stream(_ endpoint: APIEndpoint, _ target: String, timeout: TimeInterval,
                       until: @escaping @Sendable (String) -> Bool) async throws -> String {
        let request = "GET \(target) HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n"
        return try await exchange(endpoint, Array(request.utf8), timeout: timeout, until: until)
    }

    private static func exchangeBlocking(_ endpoint: APIEndpoint, _ bytes: [UInt8], timeout: TimeInterval,
                                         until: (String) -> Bool) throws -> String {
        let fd = try connect(endpoint)
        defer { close(fd) }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var sent = 0
        while sent < bytes.count {
            let result = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if result <= 0 { break } // the server may hang up on a bad request before reading it all
            sent += result
        }
        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let got = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if got < 0 && errno == EINTR { continue }
            if got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                throw APIClientError(description: "no answer within \(timeout)s; got so far: \(String(decoding: received, as: UTF8.self))")
            }
            if got <= 0 { break }
            received += buffer[0..<got]
            if until(String(decoding: received, as: UTF8.self)) { break }
        }
        return String(decoding: received, as: UTF8.self)
    }

    private static func connect(_ endpoint: APIEndpoint) throws -> Int32 {
        switch endpoint {
        case .unixSocket(let path):
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(path.utf8)
            guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
                close(fd)
                throw APIClientError(description: "socket path too long: \(path)")
            }
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (index, byte) in bytes.enumerated() { raw[index] = byte }
            }
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard result == 0 else {
                let code = errno
                close(fd)
                throw APIClientError(description: "connect \(path): \(String(cString: strerror(code)))")
            }
            return fd
        case .tcp(let port):
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard result == 0 else {
                let code = errno
                close(fd)
                throw APIClientError(description: "connect 127.0.0.1:\(port): \(String(cString: strerror(code)))")
            }
            return fd
        }
    }

    /// Status line, headers and body (chunked bodies are joined).
    static func parse(_ raw: String) throws -> APIReply {
        guard let split = raw.range(of: "\r\n\r\n") else { throw APIClientError(description: "no complete answer: \(raw)") }
        let head = raw[..<split.lowerBound].components(separatedBy: "\r\n")
        let statusParts = head.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw APIClientError(description: "bad status line: \(raw)") }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = String(raw[split.upperBound...])
        if headers["transfer-encoding"]?.lowercased() == "chunked" { body = dechunk(body) }
        return APIReply(status: status, headers: headers, body: body)
    }

    static func dechunk(_ text: String) -> String {
        var bytes = Array(text.utf8)[...]
        var output = [UInt8]()
        while let lineEnd = bytes.firstRange(of: Array("\r\n".utf8)) {
            let sizeText = String(decoding: bytes[..<lineEnd.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size > 0 else { break }
            let start = lineEnd.upperBound
            let end = min(start + size, bytes.endIndex)
            output += bytes[start..<end]
            bytes = bytes[min(end + 2, bytes.endIndex)...]
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// A socket listening on a loopback port, to hold that port busy (close `fd` when done).
    static func listeningSocket() -> (fd: Int32, port: Int)? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0, listen(fd, 1) == 0 else {
            close(fd)
            return nil
        }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// A TCP port that nothing listens on right now.
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
