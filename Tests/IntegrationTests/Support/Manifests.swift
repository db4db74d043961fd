/// YAML for the manifests the tests write: simulated instances on 127.0.0.1 with `port: auto`.
struct SimInstance {
    var name: String
    var identity = "sim-model"
    var extraArgs: [String] = []
    // Generous: a loaded 2-core machine may take seconds to start a debug build; a fast run never waits for it.
    var readinessTimeout = "30s"
    var gracePeriod: String? = "3s"
    var restartBackoff: String?
    var port = "auto"
    /// Extra lines under `spec.server`, e.g. `apiKey: {env: KEY}`.
    var serverLines: [String] = []
    /// `activation`, e.g. `OnDemand` or `{mode: OnDemand, idleTimeout: 1m}`; default Always.
    var activation: String?
    /// `readiness.smoke`, e.g. `{timeout: 2s}`; default none.
    var readinessSmoke: String?

    var yaml: String {
        let args = extraArgs.map { "\"\($0)\"" }.joined(separator: ", ")
        var lines = [
            "apiVersion: inference.selfhosted/v1",
            "kind: Instance",
            "metadata: {name: \(name)}",
            "spec:",
            "  backend: simulation",
            "  model: {identity: \(identity)}",
            "  server:",
            "    host: 127.0.0.1",
            "    port: \(port)",
            "    extraArgs: [\(args)]",
        ]
        lines += serverLines.map { "    " + $0 }
        if let activation { lines.append("  activation: \(activation)") }
        lines.append("  readiness: {timeout: \(readinessTimeout)\(readinessSmoke.map { ", smoke: \($0)" } ?? "")}")
        if let gracePeriod { lines.append("  stop: {gracePeriod: \(gracePeriod)}") }
        if let restartBackoff { lines.append("  restart: {policy: OnFailure, backoff: \(restartBackoff)}") }
        return lines.joined(separator: "\n") + "\n"
    }
}

func consumerYAML(_ name: String, instance: String) -> String {
    """
    apiVersion: inference.selfhosted/v1
    kind: Consumer
    metadata: {name: \(name)}
    spec:
      instance: \(instance)
      requiredCapabilities: {streaming: true}

    """
}

/// Several documents in one file.
func documents(_ parts: String...) -> String {
    parts.joined(separator: "---\n")
}
