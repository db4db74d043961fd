import ArgumentParser
import Foundation
import SelfHostedInferenceCore

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each instance's phase, health, process and endpoint.",
        discussion: "Read from the state folder and checked against the live processes now: a recorded process that has died shows as Failed until the next apply restarts it."
    )

    @OptionGroup var location: DirectoryArgument
    @OptionGroup var output: OutputOption

    func run() throws {
        let layout = StateLayout(manifestDirectory: location.directory)
        let state = StateCommand.inspect(layout)
        RecordWarnings.print(state.unreadable)
        let statuses = LiveStatus.current(state.records, observer: Observer(folder: state.folder), now: Date())
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
