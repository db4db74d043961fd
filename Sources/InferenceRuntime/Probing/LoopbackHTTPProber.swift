import InferenceBackends

/// The prober `apply` and `watch` use: servers on this machine (a loopback address in the URL,
/// as every server we start has) are probed over a plain socket (`ProbeSocketLoop`); any other URL
/// goes through the general client. Hundreds of servers are probed on every no-op `apply` and
/// every few seconds under `watch`: per probe, only its system calls are paid.
public struct LoopbackHTTPProber: HTTPProber {
    public let fallback: any HTTPProber

    public init(fallback: any HTTPProber = AsyncHTTPProber()) {
        self.fallback = fallback
    }

    public func send(_ probe: ProbeRequest, headers: [String: String], timeout: Duration) async -> ProbeResponse {
        guard let target = LoopbackTarget(url: probe.url) else {
            return await fallback.send(probe, headers: headers, timeout: timeout)
        }
        guard let request = Self.request(probe, target: target, headers: headers) else {
            return .unreachable(Self.invalidHeader)
        }
        let exchange = ProbeSocketLoop.Exchange(target: target, request: request, timeout: timeout,
                                                bodyLimit: AsyncHTTPProber.bodyLimit)
        return await ProbeSocketLoop.shared.perform(exchange)
    }

    /// The words `AsyncHTTPProber` uses for the same refusal: never the value, it may be a key.
    static let invalidHeader = "a request header value is not valid HTTP (the value is not shown: it may be a secret)"

    /// The request's bytes: one request per connection (`Connection: close`); nil when a header
    /// name or value could change the request's framing (a line break in an API key).
    static func request(_ probe: ProbeRequest, target: LoopbackTarget, headers: [String: String]) -> [UInt8]? {
        var text = "\(probe.method.rawValue) \(target.target) HTTP/1.1\r\nHost: \(target.hostHeader)\r\nConnection: close\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            guard isToken(name), isFieldValue(value) else { return nil }
            text += "\(name): \(value)\r\n"
        }
        let body = Array((probe.body ?? "").utf8)
        if probe.body != nil { text += "content-type: application/json\r\n" }
        if probe.method == .post || probe.body != nil { text += "content-length: \(body.count)\r\n" }
        return Array((text + "\r\n").utf8) + body
    }

    static func isToken(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            (0x21...0x7E).contains(byte) && !"()<>@,;:\\\"/[]?={} \t".utf8.contains(byte)
        }
    }

    static func isFieldValue(_ value: String) -> Bool {
        value.utf8.allSatisfy { $0 == 0x09 || (0x20...0x7E).contains($0) || $0 >= 0x80 }
    }
}
