/// Names one process for the lifetime of one boot, robust to PID reuse:
/// a recycled pid gets a different start time, and a reboot changes the boot id.
/// Persist this (not a bare pid) to adopt servers on a later run.
public struct ProcessIdentity: Codable, Sendable, Hashable, CustomStringConvertible {
    public var pid: Int32
    /// Field 22 of /proc/PID/stat: clock ticks since boot at process start.
    public var startTimeTicks: UInt64
    /// /proc/sys/kernel/random/boot_id at the time the identity was taken.
    public var bootID: String

    public init(pid: Int32, startTimeTicks: UInt64, bootID: String) {
        self.pid = pid
        self.startTimeTicks = startTimeTicks
        self.bootID = bootID
    }

    public var description: String { "pid \(pid) (started at tick \(startTimeTicks))" }
}
