import ArgumentParser
import Dispatch
import Foundation
import InferenceControllerAPI
import Logging
import SelfHostedInferenceCore
import ServiceLifecycle

struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Run as a controller: keep the machine matching DIR, restart what dies, follow manifest edits.",
        discussion: """
        A full pass at start (like apply), then: manifest changes (inotify, debounced), process exits \
        (noticed at once), health checks every health.interval (failureThreshold failures in a row stop \
        and restart a managed server), restarts with exponential backoff (CrashLoopBackOff when it \
        keeps crashing), and a full resync every --resync. SIGHUP resyncs now. SIGTERM or SIGINT end \
        the controller and leave the servers running (the next watch or apply adopts them); with \
        --stop-on-exit they are stopped too. One controller per directory: a second watch exits 1 \
        naming the first, and apply or down on the directory say a controller runs instead of waiting. \
        The controller's API (instances, consumer endpoints, events, Prometheus metrics) listens on the \
        Unix socket DIR/.inferctl/api.sock (mode 0600), and on TCP with --listen.
        """
    )

    @OptionGroup var location: DirectoryArgument

    @Option(help: ArgumentHelp("Reconcile everything again this often, whatever happened.", valueName: "DURATION"))
    var resync: DurationArgument = DurationArgument(argument: "30s")!

    @Flag(help: "Stop every managed server when the controller ends (default: leave them running).")
    var stopOnExit = false

    @Option(help: ArgumentHelp("Rotate a running server's log past this size (keeping 3 old files).", valueName: "BYTES"))
    var logMaxBytes = 10 << 20

    @Option(help: ArgumentHelp("Also serve the API on TCP (a loopback address, or any address with --token-file).",
                               valueName: "HOST:PORT"))
    var listen: String?

    @Option(help: ArgumentHelp("Require 'Authorization: Bearer <token>' on the TCP listener; the token is this file's one line.",
                               valueName: "FILE"))
    var tokenFile: String?

    func run() async throws {
        let tcp = try APIOptions.tcpListener(listen: listen, tokenFile: tokenFile)
        let manifests = try ValidManifests.load(location.directory, showWarnings: true, consequence: " Nothing was changed.")
        let lock = try await CommandLock.acquire(manifests.layout, timeout: .seconds(300), holder: CommandLock.controllerHolder)
        defer { lock.release() }
        let state = try await StateCommand.recover(manifests.layout)
        RecordWarnings.print(state.unreadable)

        let recorder = EventRecorder(path: manifests.layout.eventsPath,
                                     onWriteError: { problem in WatchLog.print("warning: events: \(problem)") })
        let metrics = ControllerMetrics()
        var environment = ReconcileEnvironment()
        environment.logLimitBytes = max(logMaxBytes, 1024)
        environment.prober = TimedProber(environment.prober, metrics: metrics)
        let controller = Controller(manifests: manifests, folder: state.folder, environment: environment,
                                    options: .init(resync: resync.duration), events: recorder, metrics: metrics) { line in
            WatchLog.print(line)
        }
        WatchLog.print("watching \(manifests.layout.manifestDirectory) (pid \(getpid())); resync every \(resync.value)")
        let hangup = HangupResync(controller)
        var logger = Logger(label: "inferctl.watch")
        logger.logLevel = .warning
        // Hummingbird reports at `error` what we report ourselves (a listener that fails ends the controller).
        var apiLogger = Logger(label: "inferctl.api")
        apiLogger.logLevel = .critical
        let api = ControllerAPIService(model: LiveControllerModel(controller: controller, recorder: recorder, metrics: metrics),
                                       recorder: recorder, socket: APIOptions.socket(manifests.layout), tcp: tcp,
                                       logger: apiLogger) { line in WatchLog.print(line) }
        let group = ServiceGroup(services: [ControllerService(controller: controller), api],
                                 gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        do {
            try await group.run()
        } catch let error as ControllerAPIService.ListenFailed {
            Console.err("error: \(error); the controller stopped (the servers keep running)")
            throw ExitStatus.failure
        }
        withExtendedLifetime(hangup) {}

        if stopOnExit {
            WatchLog.print("stopping every managed server (--stop-on-exit)")
            // Not a `down`: the next controller starts them again.
            let results = (try? await Shutdown(folder: state.folder, manifests: ManifestSet.load(directory: location.directory))
                .stopAll(holding: false)) ?? []
            results.forEach { WatchLog.print("- \($0.instance): \($0.message)") }
        } else {
            WatchLog.print("controller stopped; the servers keep running (the next watch or apply adopts them)")
        }
    }
}

/// The controller as a service of the group: graceful shutdown cancels its loop.
struct ControllerService: Service {
    let controller: Controller

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await controller.run()
        }
    }
}

/// SIGHUP resyncs now (the way daemons reload).
final class HangupResync: @unchecked Sendable {
    private let source: DispatchSourceSignal

    init(_ controller: Controller) {
        signal(SIGHUP, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGHUP)
        source.setEventHandler { [controller] in
            WatchLog.print("SIGHUP: resync")
            controller.requestResync()
        }
        source.resume()
    }

    deinit { source.cancel() }
}

/// One timestamped line per thing the controller does, on stdout.
enum WatchLog {
    static func print(_ line: String) {
        Console.out("\(Date().formatted(.iso8601)) \(line)")
    }
}
