import Foundation
import InferenceModel

/// Records are read back from disk, where anyone with access may have edited them: they are
/// checked like manifests before anything is built from them (paths, signals, ports).
enum RecordValidation {
    /// Why the record in file `fileName` cannot be trusted, or nil when it can.
    static func problem(_ record: InstanceRecord, fileName: String) -> String? {
        if let problem = ResourceName.problem(record.name) { return "its name is not valid: \(problem)" }
        if fileName != "\(record.name).json" { return "it names instance '\(record.name)' but is called \(fileName)" }
        if record.version > InstanceRecord.currentVersion {
            return "it was written by a newer inferctl (record version \(record.version))"
        }
        if let port = record.port, !(1...65535).contains(port) { return "its port \(port) is out of range" }
        if let pid = record.process?.pid, pid <= 1 { return "its pid \(pid) can never name a server of ours" }
        if let token = record.spawnToken, !isWellFormedToken(token) { return "its spawn token is malformed" }
        return nil
    }

    /// `<32 hex>.<32 hex>`, as `StateFolder.newSpawnToken` makes them.
    static func isWellFormedToken(_ token: String) -> Bool {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { StateFolderIdentity.isWellFormedID(String($0)) }
    }
}
