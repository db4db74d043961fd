import ArgumentParser
import Foundation
import SelfHostedInferenceCore

struct DownCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "down",
        abstract: "Stop every managed instance of DIR and mark every status Stopped.",
        discussion: """
        Stops each server this directory started (signal to its process group, grace period, then SIGKILL). \
        Attached servers are never signalled: down only forgets them. Works from the state folder, so it \
        stops what was started even if the manifests have changed since. The next apply starts them again.
        """
    )

    @OptionGroup var location: DirectoryArgument

    @Option(help: ArgumentHelp("How long to wait for another apply/down on the same directory.", valueName: "DURATION"))
    var lockTimeout: DurationArgument = DurationArgument(argument: "5m")!

    func run() async throws {
        let layout = StateLayout(manifestDirectory: location.directory)
        let lock = try await CommandLock.acquire(layout, timeout: lockTimeout.duration, holder: "inferctl down")
        defer { lock.release() }
        // down stops what the records name: a record it cannot read is said, not silently passed over.
        RecordWarnings.print(FileStateStore(layout: layout))
        let manifests = ManifestSet.load(directory: location.directory)
        let shutdown = Shutdown(layout: layout, manifests: manifests.isValid ? manifests : nil)
        let results = try await shutdown.stopAll()
        if results.isEmpty {
            Console.out("Nothing to stop in \(location.directory).")
            return
        }
        for result in results {
            Console.out("- \(result.instance): \(result.message)")
        }
        Console.out("Down: \(results.count) instance\(results.count == 1 ? "" : "s") stopped.")
    }
}
