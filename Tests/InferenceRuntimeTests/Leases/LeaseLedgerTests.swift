import Foundation
import InferenceModel
import Testing
@testable import InferenceRuntime

@Suite("Lease ledger and store")
struct LeaseLedgerTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("acquire, renew, release: each lease its own file; release records when the instance's last lease ended")
    func lifecycle() throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ledger = LeaseLedger(layout: StateLayout(manifestDirectory: dir))
        let first = try ledger.acquire(consumer: "app", instance: "chat", owner: "job-1", ttlMilliseconds: 30_000, now: Self.start)
        let second = try ledger.acquire(consumer: "app", instance: "chat", owner: "job-2", ttlMilliseconds: 30_000, now: Self.start)
        #expect(first.leaseRef != second.leaseRef && LeaseRules.isValidReference(first.leaseRef))
        #expect(Set(ledger.leases.leases().map(\.leaseRef)) == [first.leaseRef, second.leaseRef])

        let renewed = try ledger.renew(first.leaseRef, ttlMilliseconds: 60_000, now: Self.start.addingTimeInterval(20))
        #expect(renewed.expiresAt == Self.start.addingTimeInterval(80))
        #expect(ledger.leases.lease(first.leaseRef) == renewed)

        try ledger.release(second.leaseRef, now: Self.start.addingTimeInterval(25))
        #expect(ledger.lastEnded("chat") == Self.start.addingTimeInterval(25))
        #expect(throws: LeaseLedger.Failure.unknown(second.leaseRef)) {
            try ledger.release(second.leaseRef, now: Self.start.addingTimeInterval(26))
        }
    }

    @Test("expiry drops only expired leases and dates the end at the expiry, not at the pass that noticed it")
    func expiry() throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ledger = LeaseLedger(layout: StateLayout(manifestDirectory: dir))
        let short = try ledger.acquire(consumer: "app", instance: "chat", owner: "a", ttlMilliseconds: 1_000, now: Self.start)
        let long = try ledger.acquire(consumer: "app", instance: "chat", owner: "b", ttlMilliseconds: 60_000, now: Self.start)
        let dropped = try ledger.expire(now: Self.start.addingTimeInterval(30))
        #expect(dropped.map(\.leaseRef) == [short.leaseRef])
        #expect(ledger.leases.leases().map(\.leaseRef) == [long.leaseRef])
        #expect(ledger.lastEnded("chat") == Self.start.addingTimeInterval(1))
        #expect(throws: LeaseLedger.Failure.expired(long.leaseRef, at: Self.start.addingTimeInterval(60))) {
            try ledger.renew(long.leaseRef, ttlMilliseconds: nil, now: Self.start.addingTimeInterval(61))
        }
    }

    @Test("bad owners and ttls are refused before anything is written")
    func refusals() throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ledger = LeaseLedger(layout: StateLayout(manifestDirectory: dir))
        #expect(throws: LeaseLedger.Failure.self) {
            try ledger.acquire(consumer: "app", instance: "chat", owner: "", ttlMilliseconds: 30_000, now: Self.start)
        }
        #expect(throws: LeaseLedger.Failure.self) {
            try ledger.acquire(consumer: "app", instance: "chat", owner: "x", ttlMilliseconds: 10, now: Self.start)
        }
        #expect(ledger.leases.scan().leases.isEmpty && ledger.leases.scan().rejected.isEmpty)
    }

    @Test("a lease file behind a symbolic link, or copied under another name, is rejected and holds nothing")
    func forgedFiles() throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let layout = StateLayout(manifestDirectory: dir)
        let ledger = LeaseLedger(layout: layout)
        let real = try ledger.acquire(consumer: "app", instance: "chat", owner: "a", ttlMilliseconds: 30_000, now: Self.start)
        let copy = layout.leasesDirectory + "/lease-" + String(repeating: "e", count: 32) + ".json"
        try FileManager.default.copyItem(atPath: layout.leasePath(real.leaseRef), toPath: copy)
        let link = layout.leasesDirectory + "/lease-" + String(repeating: "d", count: 32) + ".json"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: layout.leasePath(real.leaseRef))
        let scan = ledger.leases.scan()
        #expect(scan.leases.map(\.leaseRef) == [real.leaseRef])
        #expect(Set(scan.rejected.map(\.file)) == [copy, link])
        #expect(ledger.leases.lease(String(repeating: "d", count: 32)) == nil)
    }
}
