import ArgumentParser
import Foundation
import InferenceControllerAPI
import SelfHostedInferenceCore

struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Make the machine match the manifests: start, adopt, replace, restart, stop.",
        discussion: """
        Validates DIR (any error: exit 1 and nothing is touched), compares it with the state folder \
        DIR/.inferctl and the live processes, prints the plan, carries it out (independent instances in \
        parallel, stops first), waits for readiness, stops managed instances whose manifests are gone, \
        and writes <name>.instance.status.json and <name>.consumer.status.json next to the manifests.

        Servers keep running after apply exits; the next apply adopts them. Exit status: 0 when every \
        instance converged, 1 when any failed or did not become ready (the others still run).
        """
    )

    @OptionGroup var location: DirectoryArgument

    @Flag(inversion: .prefixedNo, help: "Wait for every instance to be ready before exiting.")
    var wait = true

    @Option(help: ArgumentHelp("Cap each instance's readiness timeout (e.g. 30s, 5m).", valueName: "DURATION"))
    var timeout: DurationArgument?

    @Flag(help: "Prune instances whose manifests are gone even while live leases hold them (their leases are dropped).")
    var force = false

    @Option(help: ArgumentHelp("How long to wait for another apply/down on the same directory.", valueName: "DURATION"))
    var lockTimeout: DurationArgument = DurationArgument(argument: "5m")!

    func run() async throws {
        let manifests = try ValidManifests.load(location.directory, showWarnings: true, consequence: " Nothing was changed.")
        if let controller = await ControllerClient.runningController(manifests.layout) {
            return try await applyThroughController(manifests.layout, holder: controller)
        }
        let lock = try await CommandLock.acquire(manifests.layout, timeout: lockTimeout.duration, holder: "inferctl apply")
        defer { lock.release() }

        let state = try await StateCommand.recover(manifests.layout)
        try endDownHold(manifests.layout)
        let unreadable = RecordWarnings.print(state.unreadable)
        let plan = manifests.plan(state, force: force)
        PlanPrinter.print(plan, directory: location.directory, leftAlone: unreadable)
        guard !plan.actions.isEmpty else {
            if !unreadable.isEmpty { throw ExitStatus.failure }
            return
        }
        if plan.hasChanges { Console.out() }

        let progress = ProgressReporter(live: Console.stdoutIsTerminal, quiet: !plan.hasChanges)
        let reconciler = Reconciler(manifests: manifests, folder: state.folder, store: state.store)
        let result = try await reconciler.execute(plan, options: ApplyOptions(wait: wait, timeout: timeout?.duration, force: force)) { event in
            progress.report(event)
        }
        progress.finish()
        for error in result.stateErrors {
            Console.err(Console.styled("error", .red, terminal: Console.stderrIsTerminal) + ": " + error)
        }
        for consumer in result.incompatibleConsumers {
            Console.err(Console.styled("consumer \(consumer.consumer)", .red, terminal: Console.stderrIsTerminal) + ": " + consumer.message)
        }
        guard plan.hasChanges || !result.succeeded || !unreadable.isEmpty else { return }
        ApplySummary.print(result.instances, leftAlone: unreadable.count)
        if !result.succeeded || !unreadable.isEmpty { throw ExitStatus.failure }
    }

    /// `down` held DIR down until now.
    private func endDownHold(_ layout: StateLayout) throws {
        guard let hold = DownHold.read(layout) else { return }
        do {
            try DownHold.clear(layout)
        } catch {
            Console.err("error: \(location.directory) is \(hold.description) and the hold cannot be cleared: \(error). Nothing was changed.")
            throw ExitStatus.failure
        }
        Console.err("note: \(location.directory) was \(hold.description); apply ends the hold")
    }

    /// A controller runs on DIR: it reconciles everything now, and its answer is printed.
    private func applyThroughController(_ layout: StateLayout, holder: String) async throws {
        Console.err("a controller runs on \(location.directory) (\(holder)): asking it to reconcile now")
        let answer: ApplyAnswer
        do {
            answer = try await ControllerClient.apply(layout, timeout: timeout?.duration ?? .seconds(300), force: force)
        } catch {
            Console.err("error: \(error)")
            throw ExitStatus.failure
        }
        for status in answer.instances.sorted(by: { $0.name < $1.name }) {
            let firstLine = status.message?.split(separator: "\n").first.map(String.init)
            let line = "\(status.name): \(status.phase.rawValue)" + (firstLine.map { ": " + $0 } ?? "")
            if status.phase == .ready { Console.out(line) } else { Console.err(line) }
        }
        let failed = answer.instances.filter { $0.phase == .failed }
        guard answer.settled else {
            Console.err("error: the controller had not settled within the timeout")
            throw ExitStatus.failure
        }
        guard failed.isEmpty else {
            Console.out(Console.styled("Apply finished with failures: \(failed.count) failed (the controller keeps retrying).", .red))
            throw ExitStatus.failure
        }
        Console.out(Console.styled("Apply complete (through the controller): \(answer.instances.count) instances.", .green))
    }
}

/// The closing lines of apply: what happened, and for each failure, why.
enum ApplySummary {
    /// `leftAlone`: instances not touched because their records cannot be read (apply then exits 1).
    static func print(_ outcomes: [InstanceOutcome], leftAlone: Int) {
        let failed = outcomes.filter { !$0.succeeded }
        for outcome in failed {
            Console.err(Console.styled("\(outcome.instance): \(outcome.phase.rawValue)", .red, terminal: Console.stderrIsTerminal)
                        + ": " + outcome.message)
        }
        let ready = outcomes.filter { $0.phase == .ready }.count
        let starting = outcomes.filter { $0.phase == .starting }.count
        let stopped = outcomes.filter { $0.phase == .stopped }.count
        let pending = outcomes.filter { $0.phase == .pending }.count
        var parts = ["\(ready) ready"]
        if starting > 0 { parts.append("\(starting) starting") }
        if stopped > 0 { parts.append("\(stopped) stopped") }
        if pending > 0 { parts.append("\(pending) never became ready") }
        parts.append("\(failed.count - pending) failed")
        if leftAlone > 0 { parts.append("\(leftAlone) left alone (unreadable record\(leftAlone == 1 ? "" : "s"))") }
        let opening = !failed.isEmpty ? "Apply finished with failures: " : leftAlone > 0 ? "Apply incomplete: " : "Apply complete: "
        let line = opening + parts.joined(separator: ", ") + "."
        Console.out(Console.styled(line, failed.isEmpty && leftAlone == 0 ? .green : .red))
    }
}
