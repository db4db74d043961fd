import Foundation

/// When to look again: each time a relevant file in a watched directory changes (inotify, through
/// `DirectoryWatcher`), and every `safetyInterval` anyway, because a process can die without touching
/// any file when no controller runs. Bursts coalesce into one wake-up. The stream ends at `deadline`
/// (or at `stop()`).
public final class RecheckWakeups: Sendable {
    public let wakes: AsyncStream<Void>
    /// The directories inotify watches; one that could not be watched is left to the safety interval.
    public let watchedDirectories: [String]
    private let continuation: AsyncStream<Void>.Continuation

    /// `isRelevant` sees each changed entry's name; an overflow of the kernel's queue always wakes.
    public init(directories: [String], isRelevant: @escaping @Sendable (String) -> Bool,
                safetyInterval: Duration, deadline: ContinuousClock.Instant) {
        let (wakes, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let watchers = directories.compactMap { try? DirectoryWatcher(path: $0) }
        var tasks = watchers.map { watcher in
            Task {
                for await event in watcher.events where event.overflowed || isRelevant(event.name) {
                    continuation.yield()
                }
            }
        }
        tasks.append(Task {
            while (try? await Task.sleep(for: safetyInterval)) != nil { continuation.yield() }
        })
        tasks.append(Task {
            try? await Task.sleep(until: deadline, clock: .continuous)
            continuation.finish()
        })
        let started = tasks
        continuation.onTermination = { _ in
            for task in started { task.cancel() }
            for watcher in watchers { watcher.stop() }
        }
        self.wakes = wakes
        self.watchedDirectories = watchers.map(\.path)
        self.continuation = continuation
    }

    /// Ends the stream, its timers and its watchers.
    public func stop() {
        continuation.finish()
    }

    deinit { continuation.finish() }
}
