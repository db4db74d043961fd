import Foundation
import InferenceModel
import InferenceRuntime
import Logging

/// The kernel, embedded in a program instead of run as `inferctl`: one manifest directory
/// (Backends, Instances, Consumers), endpoints handed out under leases, and their changes followed.
///
/// Every call has `inferctl`'s semantics. While `inferctl watch` runs on the directory, calls go
/// through its API (`DIR/.inferctl/api.sock`); otherwise they work under the directory lock, one
/// writer at a time with `apply`, `down` and `ensure`, recovering the state folder first as
/// they do. Servers started here run in their own session: they outlive this program, and
/// `inferctl status`, `down` and `watch` see them like any other.
///
/// ```swift
/// let kernel = InferenceKernel(directory: "manifests")
/// let ensured = try await kernel.ensureEndpoint(consumer: "agent", owner: "nightly-eval", ttl: .seconds(60))
/// // POST ensured.endpoint.baseURL + "/chat/completions", model = ensured.endpoint.modelIdentity
/// try await kernel.release(ensured.lease.leaseRef)
/// ```
public final class InferenceKernel: Sendable {
    /// What the kernel may tune; the defaults are `inferctl`'s.
    public struct Configuration: Sendable {
        /// How long to wait for another writer (`apply`, `down`, `ensure`) holding the directory lock.
        public var lockTimeout: Duration
        /// How simulated instances (`backend: simulation`) are run.
        public var simulator: SimulatorCommand
        /// Where recovery notices go (a server found running after an interrupted run, an expired
        /// lease dropped…), at `notice` level.
        public var logger: Logger
        /// What others see in the lock file while this kernel holds the lock ("waiting for lock held by …").
        public var holderDescription: String
        /// How long a controller that holds the lock may take to open its API socket (it does so
        /// once it has recovered the state folder) before it is reported unreachable.
        public var controllerStartTimeout: Duration

        /// The defaults, each overridable.
        public init(lockTimeout: Duration = .seconds(300), simulator: SimulatorCommand = .located(),
                    logger: Logger = Logger(label: "SelfHostedInferenceCore"),
                    holderDescription: String = Self.defaultHolderDescription,
                    controllerStartTimeout: Duration = .seconds(30)) {
            self.lockTimeout = lockTimeout
            self.simulator = simulator
            self.logger = logger
            self.holderDescription = holderDescription
            self.controllerStartTimeout = controllerStartTimeout
        }

        /// This program's name, and that it embeds the kernel.
        public static var defaultHolderDescription: String {
            let program = CommandLine.arguments.first.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "a program"
            return "\(program) (InferenceKernel)"
        }
    }

    /// Where the manifests, the status files and the state folder are.
    public let layout: StateLayout
    /// The configuration it was opened with.
    public let configuration: Configuration
    private let registered = RegisteredBackends()

    /// Opens the kernel on a manifest directory. Nothing is read or written until a call needs it.
    public init(directory: String, configuration: Configuration = Configuration()) {
        self.layout = StateLayout(manifestDirectory: directory)
        self.configuration = configuration
    }

    /// The manifest directory, absolute.
    public var directory: String { layout.manifestDirectory }

    /// Adds a backend (the generic driver: a command template for spawned servers, or a probe path
    /// for attached ones), as if the directory declared it as `kind: Backend`. It is checked at
    /// once against the rules such a document obeys.
    ///
    /// Registered backends are known to this kernel only. A controller (`inferctl watch`) and
    /// other `inferctl` commands read the directory's documents: while one runs, calls refuse
    /// with `backendsUnknownToController` unless the directory declares the same backend too.
    public func register(backend: BackendDefinition) throws(InferenceKernelError) {
        try registered.add(backend)
    }

    /// The backends registered so far, in order.
    public var registeredBackends: [BackendDefinition] { registered.all }

    /// The directory's manifests with the registered backends, loaded and validated now.
    public func manifests() -> ManifestSet {
        ManifestSet.load(directory: layout.manifestDirectory, registeredBackends: registered.all)
    }

    /// The consumer's status file as published now.
    public func publishedStatus(consumer: String) -> PublishedConsumerStatus {
        StatusFileReader.consumer(consumer, layout: layout)
    }

    /// The consumer's published status, now and at each change: see `EndpointChanges`.
    ///
    /// ```swift
    /// for try await published in kernel.endpointChanges(consumer: "agent") {
    ///     if let endpoint = published.readyEndpoint { use(endpoint.baseURL) } else { pause() }
    /// }
    /// ```
    public func endpointChanges(consumer: String) -> EndpointChanges {
        EndpointChanges(consumer: consumer, layout: layout)
    }

    /// What servers are started with: this machine, and the configured simulator.
    var environment: ReconcileEnvironment {
        ReconcileEnvironment(simulatorExecutable: configuration.simulator.executable,
                             simulatorArguments: configuration.simulator.arguments)
    }
}
