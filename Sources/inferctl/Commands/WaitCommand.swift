import ArgumentParser
import Foundation
import SelfHostedInferenceCore

extension WaitCondition: ExpressibleByArgument {}

struct WaitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wait",
        abstract: "Wait until instances are ready (or deleted), as a script or a CI job would.",
        discussion: """
        Follows the status files next to the manifests, whoever writes them (apply, or a running \
        watch), and checks each spawned server's recorded process the way status does. To name \
        instances, give DIR first: inferctl wait manifests alpha beta.

        --for ready: each status file says Ready for the manifest as it is now, and a spawned server's \
        process is alive. Fails at once on Failed, a Ready condition with reason CrashLoopBackOff, a \
        process that died, or an unreadable record. --for deleted: neither a status file nor a record \
        is left (pruned after its manifest was removed); Stopped (after down) is not deleted.

        Exit status: 0 met, 1 failed (or invalid manifests, an unknown NAME), 2 timed out.
        """
    )

    @OptionGroup var location: DirectoryArgument

    @Argument(help: ArgumentHelp(
        "Instances to wait for. Default: --for ready, every instance DIR declares; --for deleted, every instance DIR no longer declares that still has a status file or record.",
        valueName: "NAME"))
    var names: [String] = []

    @Option(name: .customLong("for"), help: ArgumentHelp("What to wait for: ready or deleted.", valueName: "condition"))
    var condition: WaitCondition = .ready

    @Option(help: ArgumentHelp("How long to wait before giving up (exit 2).", valueName: "DURATION"))
    var timeout: DurationArgument = DurationArgument(argument: "5m")!

    @OptionGroup var output: OutputOption

    /// A process can die without touching any file when no controller runs: look this often anyway.
    static let safetyInterval: Duration = .seconds(1)

    func run() async throws {
        let deadline = ContinuousClock.now + timeout.duration
        try CommandLock.requireDirectory(location.directory)
        let manifests = try ValidManifests.load(location.directory)
        let state = StateCommand.inspect(manifests.layout)
        let subjects = try chooseSubjects(manifests, state: state)
        var printer = WaitPrinter(condition: condition, format: output.format)
        let (verdicts, outcome) = await follow(subjects, from: state, until: deadline, printer: &printer)
        if verdicts.isEmpty && output.format == .text {
            Console.out(condition == .ready ? "No instances declared in \(location.directory); nothing to wait for."
                                            : "Nothing in \(location.directory) is waiting to be pruned.")
            return
        }
        try printer.finish(verdicts, outcome: outcome, timeout: timeout.value)
        switch outcome {
        case .met: return
        case .failed: throw ExitStatus.failure
        case .pending: throw ExitStatus.timedOut
        }
    }

    /// The names given (each once), or the default set; exit 1 for a name that can never be met.
    private func chooseSubjects(_ manifests: ManifestSet, state: PreparedState) throws -> WaitSubjects {
        var unique: [String] = []
        for name in names where !unique.contains(name) { unique.append(name) }
        let problems = WaitSubjects.problems(unique, condition: condition, manifests: manifests, state: state)
        guard problems.isEmpty else {
            for problem in problems { Console.err(Console.styled("error", .red, terminal: Console.stderrIsTerminal) + ": " + problem) }
            throw ExitStatus.failure
        }
        return WaitSubjects(
            layout: manifests.layout,
            names: unique.isEmpty ? WaitSubjects.defaultNames(condition, manifests: manifests, state: state) : unique,
            generations: Dictionary(manifests.desiredInstances.map { ($0.name, $0.fingerprint.hash) }, uniquingKeysWith: { first, _ in first }))
    }

    /// Looks, then looks again at each wake-up, until every instance is met, one has failed, or the deadline passes.
    private func follow(_ subjects: WaitSubjects, from state: PreparedState, until deadline: ContinuousClock.Instant,
                        printer: inout WaitPrinter) async -> ([WaitVerdict], WaitVerdict.State) {
        let layout = subjects.layout
        let watched = Set(subjects.names)
        // Watching starts before the first status file is read, so a change in between cannot go unseen.
        let wakeups = RecheckWakeups(directories: [layout.manifestDirectory],
                                     isRelevant: { StatusFileReader.instanceName(ofFile: $0).map(watched.contains) ?? false },
                                     safetyInterval: Self.safetyInterval, deadline: deadline)
        defer { wakeups.stop() }
        var verdicts = subjects.verdicts(condition, state: state)
        printer.report(verdicts)
        var outcome = WaitDecision.combined(verdicts)
        guard outcome == .pending else { return (verdicts, outcome) }
        for await _ in wakeups.wakes {
            verdicts = subjects.verdicts(condition, state: PreparedState.inspect(layout))
            printer.report(verdicts)
            outcome = WaitDecision.combined(verdicts)
            if outcome != .pending { return (verdicts, outcome) }
        }
        // The deadline ended the wake-ups: one last look, so a change at the very end still counts.
        verdicts = subjects.verdicts(condition, state: PreparedState.inspect(layout))
        printer.report(verdicts)
        return (verdicts, WaitDecision.combined(verdicts))
    }
}
