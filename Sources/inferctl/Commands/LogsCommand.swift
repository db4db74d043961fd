import ArgumentParser
import Foundation
import SelfHostedInferenceCore

struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print a managed instance's log (its stdout and stderr).",
        discussion: "Logs live in DIR/.inferctl/logs/NAME.log and are rotated past 10 MiB (NAME.log.1, .2, .3)."
    )

    @Argument(help: "Instance name.")
    var name: String

    @OptionGroup var location: DirectoryArgument

    @Flag(name: .shortAndLong, help: "Keep printing new lines as they are written.")
    var follow = false

    @Option(help: "How many of the last lines to print first.")
    var tail = 100

    func run() async throws {
        let layout = StateLayout(manifestDirectory: location.directory)
        // Only names this directory knows: a declared or recorded instance. Anything else, such as
        // `../../etc/x`, never becomes a path.
        let declared = ManifestSet.load(directory: location.directory).state.instances.map(\.name)
        let recorded = ((try? FileStateStore(layout: layout).loadRecords()) ?? []).map(\.name)
        guard ResourceName.isValid(name), declared.contains(name) || recorded.contains(name) else {
            Console.err("error: no instance named '\(name)' is declared or recorded in \(location.directory)")
            throw ExitStatus.failure
        }
        let path = layout.logPath(name)
        guard FileManager.default.fileExists(atPath: path) else {
            Console.err("error: no log for '\(name)' in \(location.directory) (\(path)); attached instances have no log of ours")
            throw ExitStatus.failure
        }
        if follow {
            for await line in LogFollower.follow(path: path, initialLines: tail) { Console.out(line) }
        } else {
            for line in try LogFiles.tail(path: path, lines: tail) { Console.out(line) }
        }
    }
}
