import Foundation
import InferenceRuntime

/// Taking a manifest directory's lock the way every writer does (`apply`, `down`, `ensure`,
/// `watch`, `InferenceKernel`): one writer at a time per directory.
///
/// A controller (`inferctl watch`) holds the lock for as long as it runs, so waiting for it
/// would wait forever: it is reported at once (`controllerRunning`), and callers go through its
/// API instead. A one-shot holder (`apply`, `ensure`) is waited for, up to the timeout.
public enum DirectoryAccess {
    /// What a controller writes into the lock file as its holder description.
    public static let controllerHolder = "inferctl watch"

    /// Why the directory could not be locked.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// The manifest directory does not exist (nothing was created).
        case noSuchDirectory(String)
        /// The path exists but is not a directory.
        case notADirectory(String)
        /// A controller holds the lock (`holder`, e.g. "pid 42 (inferctl watch)"): ask it instead.
        case controllerRunning(directory: String, holder: String)
        /// Another one-shot holder kept the lock past the timeout.
        case timedOut(LockTimeout)
        /// The state folder could not be prepared or the lock file not opened (the reason).
        case cannotLock(stateDirectory: String, reason: String)
        /// The waiting task was cancelled.
        case cancelled

        /// What went wrong, for people.
        public var description: String {
            switch self {
            case .noSuchDirectory(let path): "no such directory: \(path)"
            case .notADirectory(let path): "not a directory: \(path)"
            case .controllerRunning(let directory, let holder): "a controller runs on \(directory) (\(holder))"
            case .timedOut(let timeout): timeout.description
            case .cannotLock(let stateDirectory, let reason): "cannot lock \(stateDirectory): \(reason)"
            case .cancelled: "cancelled while waiting for the directory lock"
            }
        }
    }

    /// `path` exists and is a directory. Taking the lock creates `DIR/.inferctl`: a mistyped
    /// directory must fail, not appear.
    public static func requireDirectory(_ path: String) throws(Failure) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .noSuchDirectory(path) }
        guard isDirectory.boolValue else { throw .notADirectory(path) }
    }

    /// Takes the directory's lock as `holder`. A controller holding it fails at once; any other
    /// holder is waited for up to `timeout`, `onWait` being told once who it is.
    public static func lock(_ layout: StateLayout, timeout: Duration, holder: String,
                            onWait: @escaping @Sendable (String) -> Void = { _ in }) async throws(Failure) -> DirectoryLock {
        try requireDirectory(layout.manifestDirectory)
        do {
            // The lock lives in the state folder: its folders must be real directories before we write there.
            try StateDirectories.prepare(layout)
        } catch {
            throw .cannotLock(stateDirectory: layout.stateDirectory, reason: error.description)
        }
        do {
            return try await DirectoryLock.acquire(path: layout.lockPath, timeout: .zero, holderDescription: holder)
        } catch let busy as LockTimeout where busy.holder?.contains(controllerHolder) == true {
            throw .controllerRunning(directory: layout.manifestDirectory, holder: busy.holder ?? "a controller")
        } catch is LockTimeout {
            // Held by a one-shot command: wait for it below.
        } catch {
            throw failure(error, layout)
        }
        do {
            return try await DirectoryLock.acquire(path: layout.lockPath, timeout: timeout, holderDescription: holder, onWait: onWait)
        } catch {
            throw failure(error, layout)
        }
    }

    private static func failure(_ error: any Error, _ layout: StateLayout) -> Failure {
        switch error {
        case let timeout as LockTimeout: .timedOut(timeout)
        case is CancellationError: .cancelled
        default: .cannotLock(stateDirectory: layout.stateDirectory, reason: "\(error)")
        }
    }
}
