import InferenceBackends
import InferenceModel

/// What is spawned: the plan's launch at the port used, or (a plan without one) the backend's.
struct LaunchCommand: Sendable, Equatable {
    var argv: [String]
    var environment: [String: String]
    var secretEnvironment: [String: SecretReference]
    var host: String

    init(_ planned: PlannedLaunch, port: Int) {
        argv = planned.argv(port: port)
        environment = planned.environment(port: port)
        secretEnvironment = planned.secretEnvironment
        host = planned.host
    }

    init(_ built: LaunchPlan) {
        argv = built.argv
        environment = built.environment
        secretEnvironment = built.secretEnvironment
        host = built.host
    }
}
