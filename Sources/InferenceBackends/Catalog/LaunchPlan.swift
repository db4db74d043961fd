import InferenceModel

/// What the runtime knows when it asks a driver how to start an instance.
public struct LaunchContext: Sendable, Equatable {
    /// The port to serve on (picked by the runtime when the spec says `auto`).
    public var port: Int
    /// The program that runs our simulator (`inferctl` itself, with the `sim` subcommand).
    public var simulatorExecutable: String
    public var simulatorArguments: [String]

    public init(port: Int, simulatorExecutable: String = "inference-sim", simulatorArguments: [String] = []) {
        self.port = port
        self.simulatorExecutable = simulatorExecutable
        self.simulatorArguments = simulatorArguments
    }
}

/// A spawned server's command line and how to tell when it is ready.
public struct LaunchPlan: Sendable, Equatable {
    public var executable: String
    public var arguments: [String]
    /// Plain environment variables added to the controller's.
    public var environment: [String: String]
    /// Environment variables whose values are secrets, read by the runtime at launch, never recorded.
    public var secretEnvironment: [String: SecretReference]
    public var host: String
    public var port: Int
    public var probes: ProbeSet
    public var endpoint: EndpointTemplate

    public init(executable: String, arguments: [String], environment: [String: String] = [:],
                secretEnvironment: [String: SecretReference] = [:], host: String, port: Int,
                probes: ProbeSet, endpoint: EndpointTemplate) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.secretEnvironment = secretEnvironment
        self.host = host
        self.port = port
        self.probes = probes
        self.endpoint = endpoint
    }

    /// argv as recorded and shown: never contains a secret value, since secrets travel by environment or file.
    public var argv: [String] { [executable] + arguments }
}

/// A server we do not own: where it is and how to tell it is ready and healthy.
public struct AttachPlan: Sendable, Equatable {
    /// Root of the server (e.g. `http://127.0.0.1:11434`).
    public var rootURL: String
    public var probes: ProbeSet
    public var endpoint: EndpointTemplate
    /// Secret header values to send on probes (e.g. Authorization), by reference.
    public var secretHeaders: [String: SecretReference]

    public init(rootURL: String, probes: ProbeSet, endpoint: EndpointTemplate, secretHeaders: [String: SecretReference] = [:]) {
        self.rootURL = rootURL
        self.probes = probes
        self.endpoint = endpoint
        self.secretHeaders = secretHeaders
    }
}

/// The parts of an `EndpointDescriptor` a driver decides; the runtime adds lease and live facts.
public struct EndpointTemplate: Sendable, Equatable {
    public var baseURL: String
    public var healthRef: String
    public var modelIdentity: String
    public var providerIdentity: String
    public var apiKey: SecretReference?

    public init(baseURL: String, healthRef: String, modelIdentity: String, providerIdentity: String, apiKey: SecretReference? = nil) {
        self.baseURL = baseURL
        self.healthRef = healthRef
        self.modelIdentity = modelIdentity
        self.providerIdentity = providerIdentity
        self.apiKey = apiKey
    }
}
