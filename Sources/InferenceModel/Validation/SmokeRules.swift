/// `readiness.smoke` and `health.smoke` send an OpenAI chat completion through the published
/// endpoint: only a backend that serves `openai_chat_completions` can take one.
enum SmokeRules {
    static func issues(_ spec: InstanceSpec, manifest: BackendManifest) -> [SpecIssue] {
        var issues: [SpecIssue] = []
        let written = [("spec.readiness.smoke", spec.readiness.smoke != nil), ("spec.health.smoke", spec.health.smoke != nil)]
            .filter(\.1).map(\.0)
        if !manifest.protocols.contains(.openaiChatCompletions) {
            let served = manifest.protocols.map(\.rawValue).joined(separator: ", ")
            for field in written {
                issues.append(SpecIssue(field: field,
                    "backend '\(spec.backend)' does not serve \(InferenceProtocol.openaiChatCompletions.rawValue), which the smoke completion is sent as",
                    hint: "it serves: \(served.isEmpty ? "nothing declared" : served); remove the smoke or declare the protocol"))
            }
        }
        if let smoke = spec.readiness.smoke {
            if smoke.prompt?.trimmingSpaces.isEmpty == true {
                issues.append(SpecIssue(field: "spec.readiness.smoke.prompt", "the prompt is empty",
                                        hint: "leave it out for the backend's default"))
            }
            if smoke.timeout.milliseconds <= 0 {
                issues.append(SpecIssue(field: "spec.readiness.smoke.timeout", "the timeout must be longer than 0s"))
            }
        }
        if let healthSmoke = spec.health.smoke {
            if healthSmoke.interval.milliseconds <= 0 {
                issues.append(SpecIssue(field: "spec.health.smoke.interval", "the interval must be longer than 0s"))
            }
        }
        return issues
    }
}
