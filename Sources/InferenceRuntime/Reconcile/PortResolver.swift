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
                throw Unavailable(description: "port \(port) on \(server.host) is already in use by another process")
            }
            return port
        case .auto:
            if let kept, PortAllocator.isPortFree(host: bindHost(server.host), port: kept) { return kept }
            return try PortAllocator.freePort(host: bindHost(server.host))
        }
    }

    static func bindHost(_ host: String) -> String {
        host == "localhost" ? "127.0.0.1" : host
    }
}
