import Foundation
import InferenceModel

/// Leases as JSON files in `.inferctl/leases/`, one per `lease_ref`, each written atomically.
/// Read back like records: bounded, never through a symbolic link, validated; a file that fails
/// is reported and holds nothing.
public struct LeaseStore: Sendable {
    public let layout: StateLayout
    static let maximumLeaseBytes = 64 << 10

    public init(layout: StateLayout) {
        self.layout = layout
    }

    /// A lease file that cannot be believed: it is not a lease, so it holds nothing.
    public struct Rejected: Sendable, Equatable, Codable {
        public var file: String
        public var reason: String

        public init(file: String, reason: String) {
            self.file = file
            self.reason = reason
        }
    }

    public struct Scan: Sendable {
        public var leases: [Lease] = []
        public var rejected: [Rejected] = []

        public init(leases: [Lease] = [], rejected: [Rejected] = []) {
            self.leases = leases
            self.rejected = rejected
        }
    }

    public func scan() -> Scan {
        var result = Scan()
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: layout.leasesDirectory) else { return result }
        for name in names.sorted() where !name.hasPrefix(".") {
            switch read(fileName: name) {
            case .success(let lease): result.leases.append(lease)
            case .failure(let reason): result.rejected.append(Rejected(file: layout.leasesDirectory + "/" + name, reason: reason.text))
            case nil: continue // released since it was listed
            }
        }
        return result
    }

    public func leases() -> [Lease] { scan().leases }

    public func lease(_ reference: String) -> Lease? {
        guard LeaseRules.isValidReference(reference), case .success(let lease) = read(fileName: reference + ".json") else { return nil }
        return lease
    }

    struct Reason: Error { let text: String }

    private func read(fileName: String) -> Result<Lease, Reason>? {
        guard fileName.hasSuffix(".json"), LeaseRules.isValidReference(String(fileName.dropLast(5))) else {
            return .failure(Reason(text: "not a lease file name (lease-<32 hex digits>.json)"))
        }
        let bytes: [UInt8]
        do throws(BoundedFileReader.Failure) {
            bytes = try BoundedFileReader.read(layout.leasesDirectory + "/" + fileName, limit: Self.maximumLeaseBytes,
                                               followSymlinks: false)
        } catch .cannotOpen(errno: ENOENT) {
            return nil
        } catch {
            return .failure(Reason(text: error.description))
        }
        guard let lease = try? JSONCoding.decoder.decode(Lease.self, from: Data(bytes)) else {
            return .failure(Reason(text: "not a valid lease"))
        }
        if let problem = LeaseRules.problem(lease, fileName: fileName) { return .failure(Reason(text: problem)) }
        return .success(lease)
    }

    public func save(_ lease: Lease) throws {
        guard LeaseRules.isValidReference(lease.leaseRef) else { throw SystemCallError("write", path: lease.leaseRef, code: EINVAL) }
        try StateDirectories.prepare(layout)
        try AtomicFileWriter.write(try JSONCoding.encoder.encode(lease), to: layout.leasePath(lease.leaseRef))
    }

    /// True when there was such a lease.
    @discardableResult
    public func remove(_ reference: String) throws -> Bool {
        guard LeaseRules.isValidReference(reference) else { return false }
        let path = layout.leasePath(reference)
        if unlink(path) == 0 { return true }
        if errno == ENOENT { return false }
        throw SystemCallError("unlink", path: path)
    }

    /// A fresh reference: 128 random bits.
    public static func newReference() -> String {
        var generator = SystemRandomNumberGenerator()
        let words = [generator.next() as UInt64, generator.next() as UInt64]
        return "lease-" + words.map { word in
            let hex = String(word, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }
}
