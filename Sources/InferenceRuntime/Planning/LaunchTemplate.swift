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

    static let probePortTexts = (String(probePorts.0), String(probePorts.1))
    /// The first bytes of the probe ports and of the placeholder.
    static let startBytes = [probePortTexts.0, probePortTexts.1, PlannedLaunch.portPlaceholder].compactMap(\.utf8.first)

    /// One argument as rendered at each probe port, as one template; nil when they disagree otherwise.
    static func template(_ one: String, _ other: String) -> String? {
        // Command lines are ASCII: each byte is a character, so bytes are searched and replaced
        // exactly, without Foundation (whose search was a third of planning 10,000 instances).
        guard isASCII(one), isASCII(other) else { return charactersTemplate(one, other) }
        // Most arguments are the same at both ports and cannot hold either port or the placeholder:
        // they have none of the bytes those start with.
        if one == other, !one.utf8.contains(where: { startBytes.contains($0) }) { return one }
        let placeholder = PlannedLaunch.portPlaceholder
        guard !occurs(placeholder, in: one), !occurs(placeholder, in: other) else { return nil }
        let fromOne = replacing(probePortTexts.0, with: placeholder, in: one)
        let fromOther = replacing(probePortTexts.1, with: placeholder, in: other)
        return fromOne == fromOther ? fromOne : nil
    }

    /// The same, comparing characters, for text that is not ASCII.
    static func charactersTemplate(_ one: String, _ other: String) -> String? {
        let placeholder = PlannedLaunch.portPlaceholder
        guard !one.contains(placeholder), !other.contains(placeholder) else { return nil }
        let fromOne = one.replacingOccurrences(of: probePortTexts.0, with: placeholder)
        let fromOther = other.replacingOccurrences(of: probePortTexts.1, with: placeholder)
        return fromOne == fromOther ? fromOne : nil
    }

    static func isASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 < 0x80 }
    }

    /// Whether `needle` occurs in `text`, byte for byte.
    static func occurs(_ needle: String, in text: String) -> Bool {
        firstMatch(of: needle, in: text, from: 0) != nil
    }

    /// Every occurrence of `target` in `text`, left to right, replaced byte for byte; `text` itself when there is none.
    static func replacing(_ target: String, with replacement: String, in text: String) -> String {
        guard var match = firstMatch(of: target, in: text, from: 0) else { return text }
        let bytes = Array(text.utf8)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + replacement.utf8.count)
        var copied = 0
        while true {
            result += bytes[copied..<match]
            result += replacement.utf8
            copied = match + target.utf8.count
            guard let next = firstMatch(of: target, in: text, from: copied) else { break }
            match = next
        }
        result += bytes[copied...]
        return String(decoding: result, as: UTF8.self)
    }

    /// The byte offset of the first `needle` in `text` at or after `start`.
    static func firstMatch(of needle: String, in text: String, from start: Int) -> Int? {
        var text = text
        var needle = needle
        return text.withUTF8 { haystack in
            needle.withUTF8 { needle -> Int? in
                guard !needle.isEmpty, haystack.count - start >= needle.count else { return nil }
                let first = needle[0]
                return (start...(haystack.count - needle.count)).first { offset in
                    haystack[offset] == first && memcmp(haystack.baseAddress! + offset, needle.baseAddress!, needle.count) == 0
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
