import Foundation
import InferenceRuntime

/// A consumer's published status, as it changes: the first element is the current value, then
/// one element each time `<consumer>.consumer.status.json` changes (a controller, `apply` or
/// `ensure` rewrote it, or it was removed). Equal consecutive readings are not repeated, and a
/// slow reader is handed the latest reading, not a backlog.
///
/// The file is watched through inotify on the manifest directory (files are replaced by rename,
/// so the directory is watched, not the file): nothing polls. Each iteration has its own watch,
/// which ends when the iterating task is cancelled or stops iterating. The sequence ends when the
/// manifest directory is removed or renamed; it throws `InferenceKernelError.watchFailed` when
/// the directory cannot be watched.
///
/// The file says what was last published: a server that dies while no controller runs is not
/// noticed until something reconciles again (`inferctl watch` notices at once).
public struct EndpointChanges: AsyncSequence, Sendable {
    /// One reading of the status file.
    public typealias Element = PublishedConsumerStatus

    /// The consumer whose status file is followed.
    public let consumer: String
    /// The manifest directory it lives in.
    public let layout: StateLayout

    /// The changes of `consumer`'s status in `layout`'s manifest directory.
    public init(consumer: String, layout: StateLayout) {
        self.consumer = consumer
        self.layout = layout
    }

    /// Starts a watch of its own: the first element is the current reading.
    public func makeAsyncIterator() -> Iterator {
        Iterator(base: follow().makeAsyncIterator())
    }

    /// Yields the readings of one watch, in order.
    public struct Iterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<PublishedConsumerStatus, any Error>.AsyncIterator

        /// The next reading; nil once the directory is gone or the task is cancelled.
        public mutating func next() async throws -> PublishedConsumerStatus? {
            try await base.next()
        }
    }

    private func follow() -> AsyncThrowingStream<PublishedConsumerStatus, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: PublishedConsumerStatus.self,
                                                                    bufferingPolicy: .bufferingNewest(1))
        let consumer = consumer, layout = layout
        let fileName = URL(fileURLWithPath: layout.consumerStatusPath(consumer)).lastPathComponent
        let task = Task {
            let watcher: DirectoryWatcher
            do {
                watcher = try DirectoryWatcher(path: layout.manifestDirectory)
            } catch {
                continuation.finish(throwing: InferenceKernelError.watchFailed(directory: layout.manifestDirectory,
                                                                               reason: "\(error)"))
                return
            }
            defer { watcher.stop() }
            // Watching before the first read: a change in between is seen, not lost.
            var last = StatusFileReader.consumer(consumer, layout: layout)
            continuation.yield(last)
            for await event in watcher.events {
                guard event.overflowed || event.name == fileName else { continue }
                let now = StatusFileReader.consumer(consumer, layout: layout)
                if now != last {
                    last = now
                    continuation.yield(now)
                }
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
