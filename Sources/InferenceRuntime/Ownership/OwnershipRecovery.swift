import Foundation
import InferenceModel

/// The first step of every pass, under the directory lock: make the records and the live
/// processes agree again after whatever interrupted the last run.
///
/// - An intent record (token written, process not yet recorded: the run died inside the spawn
///   window) is completed when a server carrying its token runs, and cleared when none does.
/// - A server carrying one of this folder's tokens that no record names is stopped: no path may
///   leave a live server behind that `status`, `plan` and `down` cannot see. Servers of instances
///   whose record cannot be read are left alone, like those records.
public struct OwnershipRecovery: Sendable {
    /// The variable naming the instance a server was started for, next to its token.
    public static let instanceVariable = "INFERCTL_INSTANCE"

    public let folder: StateFolder
    public let host: any ProcessHost

    public init(folder: StateFolder, host: any ProcessHost = LocalProcessHost()) {
        self.folder = folder
        self.host = host
    }

    /// A server of this folder found running.
    public struct FoundServer: Sendable, Equatable {
        public var claim: ProcessClaim
        public var instance: String?
    }

    public struct Decision: Sendable, Equatable {
        /// Records to write back (completed or cleared intents), in name order.
        public var updated: [InstanceRecord] = []
        /// Servers no record names.
        public var orphans: [FoundServer] = []
        /// Servers of instances whose record cannot be read: left alone.
        public var leftAlone: [FoundServer] = []
    }

    /// Every live server this folder started, found by the token prefix in its environment.
    public func liveServers() -> [FoundServer] {
        // Scanning every process's environment costs tens of milliseconds; without a folder none can match.
        guard folder.exists else { return [] }
        let tokenPrefix = "\(StateFolder.tokenVariable)="
        return host.sessionLeaders(withEnvironmentPrefix: folder.tokenEntryPrefix, keeping: "INFERCTL_").compactMap { found in
            guard let token = found.entries.first(where: { $0.hasPrefix(tokenPrefix) })?.dropFirst(tokenPrefix.count),
                  folder.minted(String(token)) else { return nil }
            let instancePrefix = "\(Self.instanceVariable)="
            let instance = found.entries.first { $0.hasPrefix(instancePrefix) }.map { String($0.dropFirst(instancePrefix.count)) }
            return FoundServer(claim: ProcessClaim(identity: found.identity, token: String(token)), instance: instance)
        }
    }

    /// Pure: what to change, given the records, the unreadable records' instance names and the live servers.
    public static func decide(records: [InstanceRecord], unreadable: Set<String>, live: [FoundServer],
                              now: Date) -> Decision {
        var decision = Decision()
        let byToken = Dictionary(live.map { ($0.claim.token, $0) }, uniquingKeysWith: { first, _ in first })
        var named = Set<String>()
        for record in records.sorted(by: { $0.name < $1.name }) {
            var corrected = record
            // A surge or an old revision is named by its record too; an interrupted surge intent is
            // completed or cleared like the main one (the next pass stops both: RolloutLeftovers).
            for extra in record.extraServers { named.insert(extra.token) }
            if let surge = record.surge, surge.process == nil {
                if let server = byToken[surge.spawnToken] { corrected.surge?.process = server.claim.identity } else { corrected.surge = nil }
            }
            if let token = record.spawnToken {
                named.insert(token)
                if let server = byToken[token] {
                    // The token is the proof: the process carrying it is the record's, whatever pid
                    // the record names (an intent never completed, or a record edited by hand).
                    if record.process != server.claim.identity {
                        corrected.process = server.claim.identity
                        corrected.message = record.process == nil
                            ? "found running after an interrupted apply (pid \(server.claim.identity.pid))"
                            : "recorded pid \(record.process!.pid) does not carry its spawn token; pid \(server.claim.identity.pid) does"
                    }
                } else if record.process == nil {
                    corrected.spawnToken = nil
                    corrected.phase = .pending
                    corrected.message = "an earlier run was interrupted before this server started"
                    Conditions.apply(phase: .pending, reason: .interrupted, message: corrected.message!, to: &corrected, now: now)
                }
            }
            if corrected != record { decision.updated.append(corrected) }
        }
        for server in live where !named.contains(server.claim.token) {
            if let instance = server.instance, unreadable.contains(instance) {
                decision.leftAlone.append(server)
            } else {
                decision.orphans.append(server)
            }
        }
        decision.orphans.sort { $0.claim.identity.pid < $1.claim.identity.pid }
        return decision
    }

    /// The records as recovery would leave them, without writing or stopping anything (plan, status).
    public func preview(_ records: [InstanceRecord], unreadable: Set<String>, now: Date) -> ([InstanceRecord], Decision) {
        let decision = Self.decide(records: records, unreadable: unreadable, live: liveServers(), now: now)
        let updated = Dictionary(decision.updated.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return (records.map { updated[$0.name] ?? $0 }, decision)
    }
}
