/// Two managed instances may not claim the same host and port.
enum PortRules {
    static func collisions(_ instances: [InstanceManifest], catalog: BackendCatalog) -> [Diagnostic] {
        var claimed: [Int: [(host: String, instance: InstanceManifest)]] = [:]
        var diagnostics: [Diagnostic] = []
        for index in instances.indices {
            // Only instances with a fixed port are copied; the others are only looked at.
            guard case .fixed(let port) = instances[index].spec.server.port,
                  catalog.startupKind(for: instances[index].spec) == .spawned else { continue }
            let instance = instances[index]
            let host = instance.spec.server.host
            if let other = claimed[port]?.first(where: { hostsOverlap($0.host, host) }) {
                let place = other.instance.origin.location(of: "spec.server.port")
                diagnostics.append(instance.origin.diagnostic(SpecIssue(field: "spec.server.port",
                    "port \(port) on \(host) is already claimed by instance '\(other.instance.name)' (\(place.file):\(place.line))",
                    hint: "give each managed instance its own port, or use port: auto")))
            }
            claimed[port, default: []].append((host, instance))
        }
        return diagnostics
    }

    /// A wildcard address listens on every interface, so it overlaps any host.
    static func hostsOverlap(_ a: String, _ b: String) -> Bool {
        let wildcards: Set<String> = ["0.0.0.0", "::", "[::]", "*"]
        return a == b || wildcards.contains(a) || wildcards.contains(b)
            || (isLoopbackName(a) && isLoopbackName(b))
    }

    private static func isLoopbackName(_ host: String) -> Bool {
        host == "localhost" || host == "127.0.0.1"
    }
}
