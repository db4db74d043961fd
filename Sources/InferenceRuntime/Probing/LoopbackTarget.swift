import Glibc

/// Where a probe on this machine goes: an `http://` URL whose host is a loopback address written
/// as such (`127.x.x.x`, `[::1]`). Anything else (a name to resolve, https, another machine) is
/// not a loopback target and goes through the general HTTP client.
struct LoopbackTarget: Equatable, Sendable {
    enum Address: Equatable, Sendable {
        case ipv4(UInt32) // host byte order
        case ipv6Loopback
    }

    var address: Address
    var port: UInt16
    /// The `Host` header: as written in the URL.
    var hostHeader: String
    /// Path and query, `/` when the URL has none.
    var target: String

    init?(url: String) {
        guard url.hasPrefix("http://") else { return nil }
        let rest = url.dropFirst("http://".count)
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var path = String(rest[authorityEnd...])
        if let fragment = path.firstIndex(of: "#") { path = String(path[..<fragment]) }
        if path.isEmpty || path.hasPrefix("?") { path = "/" + path }
        guard !authority.contains("@"), !path.contains(where: { $0 == " " || $0 == "\r" || $0 == "\n" }) else { return nil }

        let host: Substring
        let portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            guard after.isEmpty || after.hasPrefix(":") else { return nil }
            portText = after.isEmpty ? nil : after.dropFirst()
            guard host == "::1" else { return nil }
            address = .ipv6Loopback
        } else {
            let colon = authority.firstIndex(of: ":")
            host = colon.map { authority[..<$0] } ?? authority
            portText = colon.map { authority[authority.index(after: $0)...] }
            guard let ipv4 = Self.ipv4(host), ipv4 >> 24 == 127 else { return nil }
            address = .ipv4(ipv4)
        }
        if let portText {
            guard !portText.isEmpty, portText.allSatisfy(\.isASCII), let number = UInt16(portText), number > 0 else { return nil }
            port = number
        } else {
            port = 80
        }
        hostHeader = String(authority)
        target = path
    }

    /// Dotted quad, each part 0...255 in plain decimal.
    static func ipv4(_ text: Substring) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }), let byte = UInt32(part), byte <= 255
            else { return nil }
            value = value << 8 | byte
        }
        return value
    }
}
