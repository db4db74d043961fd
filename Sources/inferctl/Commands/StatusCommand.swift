import ArgumentParser
import Foundation
import SelfHostedInferenceCore

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each instance's phase, health, process and endpoint.",
        discussion: """
        Read from the state folder and checked against the live processes now: a recorded process that has \
        died shows as Failed until the next apply restarts it. While `inferctl watch` runs on DIR, the \
        controller is asked (its API, GET /v1/instances) and answers the same way.
        """
    )

    @OptionGroup var location: DirectoryArgument
    @OptionGroup var output: OutputOption

    func run() async throws {
        let layout = StateLayout(manifestDirectory: location.directory)
        let statuses: [InstanceStatus]
        if let controller = await ControllerClient.runningController(layout) {
            do {
                statuses = try await ControllerClient.instances(layout)
            } catch {
                Console.err("error: \(error)")
                throw ExitStatus.failure
            }
            if output.format == .text { Console.err("(as the controller sees it: \(controller))") }
        } else {
            let state = StateCommand.inspect(layout)
            RecordWarnings.print(state.unreadable)
            statuses = LiveStatus.current(state.records, observer: Observer(folder: state.folder), now: Date())
        }
        if output.format == .text, let hold = DownHold.read(layout) {
            Console.err("\(location.directory) is \(hold.description): nothing starts until `inferctl apply`.")
        }
        switch output.format {
        case .json:
            Console.out(try Console.json(statuses))
        case .text:
            guard !statuses.isEmpty else {
                Console.out("No instances have been applied from \(location.directory).")
                return
            }
            var rows = [["NAME", "PHASE", "HEALTH", "PID", "PORT", "RESTARTS", "BASE URL", "MESSAGE"]]
            for status in statuses {
                rows.append([status.name, status.phase.rawValue, status.health.rawValue,
                             status.pid.map(String.init) ?? "-", status.port.map(String.init) ?? "-", String(status.restarts),
                             status.baseURL ?? "-", status.message?.split(separator: "\n").first.map(String.init) ?? ""])
            }
            for line in Console.table(rows) { Console.out(line) }
        }
    }
}
