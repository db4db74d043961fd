import Glibc

/// `--listen HOST:PORT` for the API's TCP listener: an IP address (IPv6 in brackets) or
/// `localhost`, and a port. Only loopback addresses may listen without a token.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    public let host: String
    public let port: Int

    public enum Problem: Error, CustomStringConvertible, Equatable {
        case malformed(String)
        case badHost(String)
        case badPort(String)

        public var description: String {
            switch self {
            case .malformed(let text): "--listen \(text): expected HOST:PORT, e.g. 127.0.0.1:9464 or [::1]:9464"
            case .badHost(let host): "--listen: \(host) is not an IP address or localhost"
            case .badPort(let port): "--listen: \(port) is not a port (0-65535)"
            }
        }
    }

    public init(parsing text: String) throws(Problem) {
        let host: Substring, portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { throw .malformed(text) }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else { throw .malformed(text) }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, !portText.isEmpty else { throw .malformed(text) }
        guard let port = Int(portText), (0...65535).contains(port) else { throw .badPort(String(portText)) }
        guard host == "localhost" || Self.isIPAddress(String(host)) else { throw .badHost(String(host)) }
        self.host = String(host)
        self.port = port
    }

    /// 127.0.0.0/8, ::1 and localhost: reachable from this machine only.
    public var isLoopback: Bool {
        if host == "localhost" || host == "::1" { return true }
        var address = in_addr()
        guard inet_pton(AF_INET, host, &address) == 1 else { return false }
        return UInt32(bigEndian: address.s_addr) >> 24 == 127
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    static func isIPAddress(_ host: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}
