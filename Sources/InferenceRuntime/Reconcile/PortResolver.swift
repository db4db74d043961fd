import InferenceModel

/// The port an instance serves on: the written one, or for `auto` the one it had before
/// (so URLs do not churn across restarts), or a new free one.
enum PortResolver {
    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    static func port(for server: ServerSpec, kept: Int?) throws -> Int {
        switch server.port {
        case .fixed(let port):
            guard PortAllocator.isPortFree(host: bindHost(server.host), port: port) else {
                if let failure = addressFailure(server.host) {
                    throw Unavailable(description: "cannot listen on \(server.host) at all: \(failure.reason)")
                }
                throw Unavailable(description: "port \(port) on \(server.host) is already in use by another process")
            }
            return port
        case .auto:
            if let kept, PortAllocator.isPortFree(host: bindHost(server.host), port: kept) { return kept }
            return try PortAllocator.freePort(host: bindHost(server.host))
        }
    }

    /// Why no port at all can be bound on `host` (e.g. no interface has that address), or nil.
    /// A busy port and an address we cannot use both fail to bind; only the first is "in use".
    static func addressFailure(_ host: String) -> PortAllocator.Failure? {
        do {
            _ = try PortAllocator.freePort(host: bindHost(host))
            return nil
        } catch {
            return error
        }
    }

    static func bindHost(_ host: String) -> String {
        host == "localhost" ? "127.0.0.1" : host
    }
}
