import Foundation
import InferenceModel

/// What every verb starts from: the state folder, its records once recovery has made them agree
/// with the live processes, and what recovery found on the way.
public struct PreparedState: Sendable {
    public let folder: StateFolder
    public let store: FileStateStore
    public let records: [InstanceRecord]
    public let unreadable: [UnreadableRecord]
    /// Leases, valid and rejected; expired ones are already dropped by `recover`.
    public let leases: LeaseStore.Scan
    /// Lines for the user: a copied folder, completed intents, stopped orphans…
    public let notices: [String]

    /// Under the directory lock (apply, down): establishes the folder's identity, completes or
    /// clears interrupted spawns, and stops servers of this folder that no record names.
    /// Throws `StateWriteFailed` when what it found cannot be recorded.
    public static func recover(_ layout: StateLayout, environment: ReconcileEnvironment = ReconcileEnvironment(),
                               now: Date = Date()) async throws -> PreparedState {
        let folder: StateFolder
        do {
            folder = try StateFolder.establish(layout, now: now)
        } catch {
            throw StateWriteFailed(underlying: "\(error)")
        }
        let store = FileStateStore(layout: layout)
        let scan = store.scan()
        let recovery = OwnershipRecovery(folder: folder, host: environment.host)
        let decision = OwnershipRecovery.decide(records: scan.records, unreadable: Set(scan.unreadable.map(\.instance)),
                                                live: recovery.liveServers(), now: now)
        var notices = folder.notice.map { [$0] } ?? []
        for record in decision.updated {
            do {
                try store.save(record)
            } catch {
                throw StateWriteFailed(underlying: "\(error)")
            }
            notices.append("\(record.name): \(record.message ?? "recovered")")
        }
        let stopped = await withTaskGroup(of: String.self) { group in
            for orphan in decision.orphans {
                group.addTask {
                    let outcome = await environment.host.stop(orphan.claim)
                    let owner = orphan.instance.map { " (instance \($0))" } ?? ""
                    return "stopped pid \(orphan.claim.identity.pid)\(owner): a server of this folder that no record names "
                        + "(left by an interrupted run): \(outcome)"
                }
            }
            var lines: [String] = []
            for await line in group { lines.append(line) }
            return lines.sorted()
        }
        notices += stopped
        notices += decision.leftAlone.map(Self.leftAloneNotice)
        var expired = false
        do {
            for lease in try LeaseLedger(layout: layout).expire(now: now) {
                expired = true
                notices.append("lease \(lease.leaseRef) (owner \(lease.ownerRef)) on \(lease.instance) expired at "
                               + "\(lease.expiresAt.formatted(.iso8601)): dropped")
            }
        } catch {
            throw StateWriteFailed(underlying: "\(error)")
        }
        // Read again only when recovery changed something.
        let after = decision.updated.isEmpty && decision.orphans.isEmpty && !expired ? scan : store.scan()
        return PreparedState(folder: folder, store: store, records: after.records, unreadable: after.unreadable,
                             leases: LeaseStore(layout: layout).scan(), notices: notices)
    }

    /// The same view without writing or stopping anything (plan, status): intents are shown as
    /// recovery would complete them, orphans are reported.
    public static func inspect(_ layout: StateLayout, host: any ProcessHost = LocalProcessHost(),
                               now: Date = Date()) -> PreparedState {
        let folder = StateFolder.inspect(layout, now: now)
        let store = FileStateStore(layout: layout)
        let scan = store.scan()
        let (records, decision) = OwnershipRecovery(folder: folder, host: host)
            .preview(scan.records, unreadable: Set(scan.unreadable.map(\.instance)), now: now)
        var notices = folder.notice.map { [$0] } ?? []
        notices += decision.orphans.map { orphan in
            "pid \(orphan.claim.identity.pid)\(orphan.instance.map { " (instance \($0))" } ?? "") is a server of this folder "
                + "that no record names; the next apply or down stops it"
        }
        notices += decision.leftAlone.map(leftAloneNotice)
        return PreparedState(folder: folder, store: store, records: records, unreadable: scan.unreadable,
                             leases: LeaseStore(layout: layout).scan(), notices: notices)
    }

    static func leftAloneNotice(_ server: OwnershipRecovery.FoundServer) -> String {
        "pid \(server.claim.identity.pid) serves instance \(server.instance ?? "?"), whose record cannot be read: left alone"
    }
}
