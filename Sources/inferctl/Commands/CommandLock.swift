import Foundation
import SelfHostedInferenceCore

/// apply, down and watch on one directory never interleave: the second waits, saying so. A
/// controller (`inferctl watch`) holds the lock for as long as it runs: then a second `watch`,
/// `apply` or `down` says so at once instead of waiting. The rules live in the library
/// (`DirectoryAccess`); this says them to the user.
enum CommandLock {
    static let controllerHolder = DirectoryAccess.controllerHolder

    static func acquire(_ layout: StateLayout, timeout: Duration, holder: String) async throws -> DirectoryLock {
        do {
            return try await DirectoryAccess.lock(layout, timeout: timeout, holder: holder) { message in
                Console.err(message)
            }
        } catch .controllerRunning(_, let who) {
            if holder == controllerHolder {
                Console.err("error: a controller already runs on \(layout.manifestDirectory): \(who)")
            } else {
                Console.err("error: a controller runs on \(layout.manifestDirectory) (\(who)) and applies the manifests "
                            + "itself: edit them and it follows; stop it (SIGTERM) to run \(holder)")
            }
            throw ExitStatus.failure
        } catch {
            Console.err("error: \(error)")
            throw ExitStatus.failure
        }
    }

    static func requireDirectory(_ path: String) throws {
        do {
            try DirectoryAccess.requireDirectory(path)
        } catch {
            Console.err("error: \(error)")
            throw ExitStatus.failure
        }
    }
}
