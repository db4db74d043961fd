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

/// Status as it is now: a record that says Ready about a dead process is not believed.
enum LiveStatus {
    static func current(_ records: [InstanceRecord], observer: Observer, now: Date) -> [InstanceStatus] {
        records.map { record in
            var status = InstanceStatus(record: record, now: now)
            guard record.startupKind == .spawned, record.phase == .ready || record.phase == .starting else { return status }
            switch observer.processObservation(record) {
            case .running, .notApplicable: break
            case .exited:
                status.phase = .failed
                status.health = .unavailable
                status.message = "process \(record.process.map { String($0.pid) } ?? "?") is no longer running; the next apply restarts it"
            case .reused:
                status.phase = .failed
                status.health = .unavailable
                status.message = "recorded pid now belongs to another process; the next apply starts a new one"
            case .unproven:
                status.phase = .failed
                status.health = .unavailable
                status.message = "recorded pid is not proven ours (no spawn token of this state folder); it is left alone"
            }
            return status
        }
    }
}
