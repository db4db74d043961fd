/// `server.host` is the address a spawned server binds, so it must be one a socket can bind:
/// `localhost` or an IP address. A name would only fail later, at bind time, as a confusing error.
enum ServerHostRule {
    static func issues(_ spec: InstanceSpec, startupKind: StartupKind?) -> [SpecIssue] {
        let host = spec.server.host
        guard host != "localhost", !IPAddressLiteral.isValid(host) else { return [] }
        return [SpecIssue(field: "spec.server.host", "'\(host)' is not localhost or an IP address",
                          hint: hint(for: host, startupKind: startupKind))]
    }

    private static func hint(for host: String, startupKind: StartupKind?) -> String {
        if startupKind == .attachExistingService {
            return "an attached instance is reached at spec.url; remove server.host"
        }
        if host.hasPrefix("["), host.hasSuffix("]"), IPAddressLiteral.isIPv6(String(host.dropFirst().dropLast())) {
            return "write an IPv6 address without brackets, e.g. \(host.dropFirst().dropLast())"
        }
        return "the address the server listens on: localhost, 127.0.0.1, 0.0.0.0 for every interface, or an IPv6 address such as ::1"
    }
}
