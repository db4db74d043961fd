/// When each key's periodic work comes round (health checks, resync): every `period`, at a phase
/// of the key's own (from its name), so fifty instances started together are not all probed in
/// the same millisecond of every interval. A burst of concurrent reconciles is what made the
/// controller's CPU spike and its memory grow (each reconcile in flight holds its task's frames);
/// spread out, at most a few run at once. Pure: time is passed in.
enum KeySchedule {
    /// Where in the period the key's slot falls, in [0, 1): stable for a name.
    static func phase(of key: String) -> Double {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        // FNV leaves names that differ in their last characters close in the high bits: mixed
        // (MurmurHash3's finalizer), "s1" … "s50" land all over the period.
        hash ^= hash >> 33
        hash = hash &* 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        hash = hash &* 0xc4ce_b9fe_1a85_ec53
        hash ^= hash >> 33
        return Double(hash >> 11) / Double(UInt64(1) << 53)
    }

    /// The delay from `elapsed` (time since the schedule's origin) to the key's next slot at least
    /// half a period away: slots fall every `period`, so once in step the key's work runs every
    /// `period` exactly, whenever it was last done.
    static func delay(for key: String, period: Duration, elapsed: Duration) -> Duration {
        let periodNanos = nanoseconds(period)
        guard periodNanos > 0 else { return .zero }
        let offset = Int64(phase(of: key) * Double(periodNanos))
        let now = nanoseconds(elapsed)
        var slot = offset + ((now - offset) / periodNanos) * periodNanos
        while slot < now + periodNanos / 2 { slot += periodNanos }
        return .nanoseconds(slot - now)
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let parts = duration.components
        return parts.seconds * 1_000_000_000 + parts.attoseconds / 1_000_000_000
    }
}
