import Dispatch

/// Runs blocking work (a scan of /proc, a log copy) on threads of its own, not on the cooperative
/// pool: that pool has one thread per core (two here), and a task blocked in the kernel there
/// holds up every other task of the controller.
enum BlockingIO {
    static let queue = DispatchQueue(label: "inferctl.blocking-io", qos: .utility, attributes: .concurrent)

    static func run<Result: Sendable>(_ work: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: work()) }
        }
    }
}
