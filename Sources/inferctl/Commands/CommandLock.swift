import Foundation
import SelfHostedInferenceCore

/// apply, down and watch on one directory never interleave: the second waits, saying so. A
/// controller (`inferctl watch`) holds the lock for as long as it runs: then a second `watch`,
/// `apply` or `down` says so at once instead of waiting.
enum CommandLock {
    static let controllerHolder = "inferctl watch"

    static func acquire(_ layout: StateLayout, timeout: Duration, holder: String) async throws -> DirectoryLock {
        // Taking the lock creates DIR/.inferctl: a mistyped DIR must fail, not appear.
        try requireDirectory(layout.manifestDirectory)
        do {
            // The lock lives in the state folder: its folders must be real directories before we write there.
            try StateDirectories.prepare(layout)
            do {
                return try await DirectoryLock.acquire(path: layout.lockPath, timeout: .zero, holderDescription: holder)
            } catch let busy as LockTimeout where busy.holder?.contains(controllerHolder) == true {
                let who = busy.holder ?? "a controller"
                if holder == controllerHolder {
                    Console.err("error: a controller already runs on \(layout.manifestDirectory): \(who)")
                } else {
                    Console.err("error: a controller runs on \(layout.manifestDirectory) (\(who)) and applies the manifests "
                                + "itself: edit them and it follows; stop it (SIGTERM) to run \(holder)")
                }
                throw ExitStatus.failure
            } catch is LockTimeout {
                // Held by a one-shot apply or down: wait for it below.
            }
            return try await DirectoryLock.acquire(path: layout.lockPath, timeout: timeout, holderDescription: holder) { message in
                Console.err(message)
            }
        } catch let error as LockTimeout {
            Console.err("error: \(error)")
            throw ExitStatus.failure
        } catch let error as SystemCallError {
            Console.err("error: cannot lock \(layout.stateDirectory): \(error)")
            throw ExitStatus.failure
        }
    }

    static func requireDirectory(_ path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            Console.err("error: no such directory: \(path)")
            throw ExitStatus.failure
        }
        guard isDirectory.boolValue else {
            Console.err("error: not a directory: \(path)")
            throw ExitStatus.failure
        }
    }
}
