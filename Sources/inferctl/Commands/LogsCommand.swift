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
        let path = StateLayout(manifestDirectory: location.directory).logPath(name)
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
