import ArgumentParser
import Foundation
import InferenceControllerAPI
import SelfHostedInferenceCore

struct DownCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "down",
        abstract: "Stop every managed instance of DIR and hold it down until the next apply.",
        discussion: """
        Stops each server this directory started (signal to its process group, grace period, then SIGKILL). \
        Attached servers are never signalled: down only forgets them. Works from the state folder, so it \
        stops what was started even if the manifests have changed since.

        The directory stays down (DIR/.inferctl/held-down.json) until the next apply: a running \
        `inferctl watch` is asked to stop everything and keeps running without starting anything, and a \
        controller started later does not start anything either. Exit status: 0 when everything is \
        stopped and recorded, 1 otherwise.
        """
    )

    @OptionGroup var location: DirectoryArgument

    @Option(help: ArgumentHelp("How long to wait for another apply/down on the same directory.", valueName: "DURATION"))
    var lockTimeout: DurationArgument = DurationArgument(argument: "5m")!

    @Option(help: ArgumentHelp("With a running controller: how long to wait for every server to stop.", valueName: "DURATION"))
    var timeout: DurationArgument = DurationArgument(argument: "5m")!

    func run() async throws {
        let layout = StateLayout(manifestDirectory: location.directory)
        if let controller = await ControllerClient.runningController(layout) {
            return try await downThroughController(layout, holder: controller)
        }
        let lock = try await CommandLock.acquire(layout, timeout: lockTimeout.duration, holder: "inferctl down")
        defer { lock.release() }
        let state = try await StateCommand.recover(layout)
        RecordWarnings.print(state.unreadable)
        let manifests = ManifestSet.load(directory: location.directory)
        let shutdown = Shutdown(folder: state.folder, manifests: manifests.isValid ? manifests : nil)
        let results: [Shutdown.Result]
        do {
            results = try await shutdown.stopAll(holding: true)
        } catch {
            Console.err("error: cannot hold \(location.directory) down (\(error)); nothing was stopped")
            throw ExitStatus.failure
        }
        if results.isEmpty {
            Console.out("Nothing to stop in \(location.directory). It is held down until the next apply.")
            return
        }
        for result in results {
            let line = "- \(result.instance): \(result.message)"
            if result.recorded { Console.out(line) } else { Console.err(Console.styled(line, .red, terminal: Console.stderrIsTerminal)) }
        }
        let unrecorded = results.filter { !$0.recorded }
        guard unrecorded.isEmpty else {
            Console.err("Down finished with failures: \(unrecorded.count) could not be recorded as stopped.")
            throw ExitStatus.failure
        }
        Console.out("Down: \(results.count) instance\(results.count == 1 ? "" : "s") stopped; held down until the next apply.")
    }

    /// A controller runs on DIR: it stops everything and stays up, holding the directory down.
    private func downThroughController(_ layout: StateLayout, holder: String) async throws {
        Console.err("a controller runs on \(location.directory) (\(holder)): asking it to stop everything")
        let answer: ApplyAnswer
        do {
            answer = try await ControllerClient.down(layout, timeout: timeout.duration)
        } catch {
            Console.err("error: \(error)")
            throw ExitStatus.failure
        }
        for status in answer.instances.sorted(by: { $0.name < $1.name }) {
            let line = "- \(status.name): \(status.phase.rawValue)" + (status.message.map { ": " + $0 } ?? "")
            if status.phase == .stopped { Console.out(line) } else { Console.err(Console.styled(line, .red, terminal: Console.stderrIsTerminal)) }
        }
        let running = answer.instances.filter { $0.phase != .stopped }
        guard answer.settled, running.isEmpty else {
            Console.err("Down finished with failures: \(running.count) not stopped"
                        + (answer.settled ? "." : " (the controller had not settled within --timeout)."))
            throw ExitStatus.failure
        }
        Console.out("Down: \(answer.instances.count) instance\(answer.instances.count == 1 ? "" : "s") stopped; "
                    + "the controller holds \(location.directory) down until the next apply.")
    }
}
