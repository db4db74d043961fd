import ArgumentParser
import Dispatch
import Foundation
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
        naming the first, and apply or down on the directory say a controller runs instead of waiting.
        """
    )

    @OptionGroup var location: DirectoryArgument

    @Option(help: ArgumentHelp("Reconcile everything again this often, whatever happened.", valueName: "DURATION"))
    var resync: DurationArgument = DurationArgument(argument: "30s")!

    @Flag(help: "Stop every managed server when the controller ends (default: leave them running).")
    var stopOnExit = false

    @Option(help: ArgumentHelp("Rotate a running server's log past this size (keeping 3 old files).", valueName: "BYTES"))
    var logMaxBytes = 10 << 20

    func run() async throws {
        let manifests = try ValidManifests.load(location.directory, showWarnings: true, consequence: " Nothing was changed.")
        let lock = try await CommandLock.acquire(manifests.layout, timeout: .seconds(300), holder: CommandLock.controllerHolder)
        defer { lock.release() }
        let state = try await StateCommand.recover(manifests.layout)
        RecordWarnings.print(state.unreadable)

        var environment = ReconcileEnvironment()
        environment.logLimitBytes = max(logMaxBytes, 1024)
        let controller = Controller(manifests: manifests, folder: state.folder, environment: environment,
                                    options: .init(resync: resync.duration)) { line in WatchLog.print(line) }
        WatchLog.print("watching \(manifests.layout.manifestDirectory) (pid \(getpid())); resync every \(resync.value)")
        let hangup = HangupResync(controller)
        var logger = Logger(label: "inferctl.watch")
        logger.logLevel = .warning
        let group = ServiceGroup(services: [ControllerService(controller: controller)],
                                 gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
        withExtendedLifetime(hangup) {}

        if stopOnExit {
            WatchLog.print("stopping every managed server (--stop-on-exit)")
            let results = await Shutdown(folder: state.folder, manifests: ManifestSet.load(directory: location.directory))
                .stopAll()
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
