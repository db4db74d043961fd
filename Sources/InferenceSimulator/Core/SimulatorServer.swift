import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

/// A running simulator inside the current process.
///
/// `runSimulator(_:)` uses this for the executable; tests use it directly to
/// learn the bound port and to stop the server without signals.
public final class SimulatorServer: Sendable {
    /// The address actually bound (the real port when `port` was 0).
    public let host: String
    public let port: Int
    /// `http://HOST:PORT`, with IPv6 hosts bracketed.
    public let baseURL: String

    private let serviceGroup: ServiceGroup
    private let runTask: Task<Void, any Error>
    private let loadTask: Task<Void, Never>

    private init(host: String, port: Int, serviceGroup: ServiceGroup, runTask: Task<Void, any Error>, loadTask: Task<Void, Never>) {
        self.host = host
        self.port = port
        self.baseURL = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
        self.serviceGroup = serviceGroup
        self.runTask = runTask
        self.loadTask = loadTask
    }

    /// Binds the listener and returns once it accepts connections.
    ///
    /// The model "loads" in the background: `/health` answers 503 until
    /// `options.loadDelay` has passed since this call, then the `listening on`
    /// line is logged. Process-level options (`crashAfter`, `exitBeforeReady`,
    /// `ignoreSigterm`) are left to `runSimulator(_:)`.
    public static func start(_ options: SimulatorOptions) async throws -> SimulatorServer {
        try await start(options, gracefulShutdownSignals: [])
    }

    static func start(_ options: SimulatorOptions, gracefulShutdownSignals: [UnixSignal]) async throws -> SimulatorServer {
        let startedAt = ContinuousClock.now
        let log: @Sendable (String) -> Void = { options.log(SimulatorLog.prefix + $0) }
        let isOllama = options.mode == .ollama
        let readiness = ModelReadiness(isReady: isOllama)

        if isOllama {
            log("starting ollama simulator (version \(options.ollamaVersion))")
        } else {
            log("loading model '\(options.modelID)' (load delay \(DurationParsing.format(options.loadDelay)))")
        }

        let router = try await SimulatorRouter.build(options: options, readiness: readiness)
        let (boundAddresses, boundContinuation) = AsyncStream.makeStream(of: (host: String, port: Int).self)
        // Hummingbird's own logs would duplicate ours (and say "listening on" too early).
        let silentLogger = Logger(label: "inference-sim", factory: { _ in SwiftLogNoOpLogHandler() })
        let application = Application(
            router: router,
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "inference-sim"),
            onServerRunning: { channel in
                let address = channel.localAddress
                boundContinuation.yield((address?.ipAddress ?? options.host, address?.port ?? options.port))
            },
            logger: silentLogger
        )
        var groupConfiguration = ServiceGroupConfiguration(
            services: [application],
            gracefulShutdownSignals: gracefulShutdownSignals,
            logger: silentLogger
        )
        // Streaming clients must not hold a shutdown hostage.
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(5)
        let serviceGroup = ServiceGroup(configuration: groupConfiguration)

        let runTask = Task {
            defer { boundContinuation.finish() }
            try await serviceGroup.run()
        }
        var bound: (host: String, port: Int)?
        for await address in boundAddresses {
            bound = address
            break
        }
        guard let bound else {
            // The group ended before listening: surface its error (e.g. address in use).
            try await runTask.value
            throw SimulatorStartError.stoppedBeforeListening
        }

        let listeningLine = "listening on http://\(bound.host.contains(":") ? "[\(bound.host)]" : bound.host):\(bound.port)"
        let loadTask = Task {
            if isOllama {
                log(listeningLine + " (ollama \(options.ollamaVersion))")
                return
            }
            log("http server accepting connections on \(bound.host):\(bound.port) while the model loads")
            do {
                try await Task.sleep(until: startedAt + options.loadDelay, clock: .continuous)
            } catch {
                return  // stopped while loading
            }
            if let gate = options.loadGate { await gate() }
            if Task.isCancelled { return }
            await readiness.markReady()
            log("model loaded")
            log(listeningLine)
        }
        return SimulatorServer(host: bound.host, port: bound.port, serviceGroup: serviceGroup, runTask: runTask, loadTask: loadTask)
    }

    /// Gracefully shuts the server down and waits until it has stopped.
    public func stop() async throws {
        loadTask.cancel()
        await serviceGroup.triggerGracefulShutdown()
        try await runTask.value
    }

    /// Waits until the server stops (after `stop()` or a shutdown signal).
    public func waitUntilStopped() async throws {
        defer { loadTask.cancel() }
        try await runTask.value
    }
}

public enum SimulatorStartError: Error, CustomStringConvertible {
    case stoppedBeforeListening

    public var description: String {
        "the HTTP server stopped before it started listening"
    }
}
