/// What `inferctl wait` waits for. The raw values are the `--for` argument (a contract).
public enum WaitCondition: String, Sendable, CaseIterable, Codable {
    /// The status file says `Ready` (for the manifest as it is now) and, for a spawned server, the
    /// process it names is alive.
    case ready
    /// Pruned: neither a status file nor a record is left. `Stopped` (after `down`) is not deleted:
    /// `down` keeps the record so the next `apply` starts the instance again.
    case deleted
}
