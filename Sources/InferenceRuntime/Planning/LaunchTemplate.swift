import Foundation
import InferenceBackends
import InferenceModel

/// A backend's command line with `{port}` where the port goes, found by asking the backend twice,
/// at two unlikely ports, and keeping what differs only by the port. Nil when the command line
/// cannot be written that way: it contains `{port}` itself, or uses the port otherwise than
/// verbatim (port + 1, say). Then nothing is shown and the executor builds it for the port it uses.
enum LaunchTemplate {
    static let probePorts = (61_487, 62_593)

    static func derive(driver: BackendDriver, instance: InstanceManifest,
                       context: (Int) -> LaunchContext) -> (argv: [String], environment: [String: String],
                                                            secretEnvironment: [String: SecretReference], host: String)? {
        guard let first = try? driver.launchPlan(for: instance, context: context(probePorts.0)),
              let second = try? driver.launchPlan(for: instance, context: context(probePorts.1)),
              first.argv.count == second.argv.count, first.host == second.host,
              first.secretEnvironment == second.secretEnvironment,
              Set(first.environment.keys) == Set(second.environment.keys) else { return nil }
        var argv: [String] = []
        for (one, other) in zip(first.argv, second.argv) {
            guard let template = template(one, other) else { return nil }
            argv.append(template)
        }
        var environment: [String: String] = [:]
        for (name, one) in first.environment {
            guard let other = second.environment[name], let template = template(one, other) else { return nil }
            environment[name] = template
        }
        return (argv, environment, first.secretEnvironment, first.host)
    }

    /// One argument as rendered at each probe port, as one template; nil when they disagree otherwise.
    static func template(_ one: String, _ other: String) -> String? {
        let placeholder = PlannedLaunch.portPlaceholder
        // Most arguments hold no port: kept as they are, without Foundation's search (slow at 10,000 instances).
        if one == other, !occurs(placeholder, in: one), !occurs(String(probePorts.0), in: one),
           !occurs(String(probePorts.1), in: one) {
            return one
        }
        guard !one.contains(placeholder), !other.contains(placeholder) else { return nil }
        let fromOne = one.replacingOccurrences(of: String(probePorts.0), with: placeholder)
        let fromOther = other.replacingOccurrences(of: String(probePorts.1), with: placeholder)
        return fromOne == fromOther ? fromOne : nil
    }

    /// Whether `needle` occurs in `text`, byte for byte.
    static func occurs(_ needle: String, in text: String) -> Bool {
        var text = text
        var needle = needle
        return text.withUTF8 { haystack in
            needle.withUTF8 { needle in
                guard !needle.isEmpty, haystack.count >= needle.count else { return needle.isEmpty }
                return (0...(haystack.count - needle.count)).contains { start in
                    memcmp(haystack.baseAddress! + start, needle.baseAddress!, needle.count) == 0
                }
            }
        }
    }
}

extension PlannedLaunch {
    /// Whether `built` (the backend's launch plan for `port`, asked at execution for its probes and
    /// endpoint) is this command line at that port: anything else means the manifests or backends
    /// are not what this plan was made from.
    func describes(_ built: LaunchPlan, port: Int) -> Bool {
        argv(port: port) == built.argv && environment(port: port) == built.environment
            && secretEnvironment == built.secretEnvironment && host == built.host
    }
}
