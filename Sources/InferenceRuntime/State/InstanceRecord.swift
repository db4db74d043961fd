import Foundation
import InferenceModel

/// Our private memory of one instance, kept in `.inferctl/instances/<name>.json`.
/// It holds no secret values: only references and what `ps` would show anyway.
public struct InstanceRecord: Codable, Sendable, Equatable {
    public static let currentVersion = 1

    /// The format of this file (see `RecordValidation`).
    public var version: Int
    /// Bumped by the store on every write that changes the record (never on one that changes
    /// nothing): what compare-and-swap saves and plans are checked against. Set by the store only.
    @ZeroWhenAbsent public internal(set) var revision: Int
    public var name: String
    public var backend: String
    public var startupKind: StartupKind
    public var fingerprint: SpecFingerprint
    /// The process we started (managed instances only).
    public var process: ProcessIdentity?
    /// The token given to the process in `INFERCTL_SPAWN_TOKEN`, written (durably) before the
    /// spawn: with `process` still nil it is an intent, which recovery completes or clears.
    public var spawnToken: String?
    public var argv: [String]
    public var host: String?
    /// The port in use; for `port: auto` it is kept across restarts so URLs do not churn.
    public var port: Int?
    public var rootURL: String?
    public var logPath: String?
    public var phase: InstancePhase
    public var health: HealthStatus
    public var message: String?
    public var restarts: Int
    public var startedAt: Date?
    public var readyAt: Date?
    public var lastExit: ExitRecord?
    public var endpoint: EndpointDescriptor?
    public var conditions: [Condition]
    /// How to stop it even after its manifest is gone (prune, down).
    public var stopSignal: String?
    public var stopGraceMilliseconds: Int64?
    /// Capabilities learned from the running server (Ollama's /api/show), overriding the manifest's.
    public var discoveredCapabilities: Capabilities?
    /// A Surge rollout in progress: the new revision, starting beside the serving one. Written
    /// (with its token) before its spawn, like the main process, so no crash can orphan it.
    public var surge: SurgeServer?
    /// Old revisions switched away from, draining until `retireAt`, then stopped.
    public var retiring: [RetiringServer]?
    /// The last Surge rollout that failed (the old revision kept serving): for its backoff and the
    /// `Stalled` condition. Cleared by a successful rollout or when the manifest goes back.
    public var rolloutFailure: RolloutFailure?

    public init(name: String, backend: String, startupKind: StartupKind, fingerprint: SpecFingerprint,
                process: ProcessIdentity? = nil, argv: [String] = [], host: String? = nil, port: Int? = nil,
                rootURL: String? = nil, logPath: String? = nil, phase: InstancePhase = .pending,
                health: HealthStatus = .unknown, message: String? = nil, restarts: Int = 0,
                startedAt: Date? = nil, readyAt: Date? = nil, lastExit: ExitRecord? = nil,
                endpoint: EndpointDescriptor? = nil, conditions: [Condition] = []) {
        self.version = Self.currentVersion
        self.revision = 0
        self.name = name
        self.backend = backend
        self.startupKind = startupKind
        self.fingerprint = fingerprint
        self.process = process
        self.argv = argv
        self.host = host
        self.port = port
        self.rootURL = rootURL
        self.logPath = logPath
        self.phase = phase
        self.health = health
        self.message = message
        self.restarts = restarts
        self.startedAt = startedAt
        self.readyAt = readyAt
        self.lastExit = lastExit
        self.endpoint = endpoint
        self.conditions = conditions
    }
}

/// The new revision of a Surge rollout, until it is ready and takes the record's place.
public struct SurgeServer: Codable, Sendable, Equatable {
    public var fingerprint: SpecFingerprint
    public var spawnToken: String
    /// nil while only the intent is written (the spawn window).
    public var process: ProcessIdentity?
    public var port: Int
    public var argv: [String]
    public var logPath: String
    public var startedAt: Date?

    public init(fingerprint: SpecFingerprint, spawnToken: String, process: ProcessIdentity? = nil, port: Int, argv: [String],
                logPath: String, startedAt: Date? = nil) {
        self.fingerprint = fingerprint
        self.spawnToken = spawnToken
        self.process = process
        self.port = port
        self.argv = argv
        self.logPath = logPath
        self.startedAt = startedAt
    }
}

/// An old revision after a Surge switch: still answering requests clients had already sent to
/// it, until `retireAt`, then stopped like any server of ours.
public struct RetiringServer: Codable, Sendable, Equatable {
    public var process: ProcessIdentity
    public var spawnToken: String
    public var port: Int?
    public var logPath: String?
    public var stopSignal: String?
    public var stopGraceMilliseconds: Int64?
    public var retireAt: Date

    public init(process: ProcessIdentity, spawnToken: String, port: Int?, logPath: String?, stopSignal: String?,
                stopGraceMilliseconds: Int64?, retireAt: Date) {
        self.process = process
        self.spawnToken = spawnToken
        self.port = port
        self.logPath = logPath
        self.stopSignal = stopSignal
        self.stopGraceMilliseconds = stopGraceMilliseconds
        self.retireAt = retireAt
    }
}

extension InstanceRecord {
    /// Servers of this record besides the serving one: a surge and old revisions.
    public var extraServers: [(identity: ProcessIdentity?, token: String)] {
        (surge.map { [($0.process, $0.spawnToken)] } ?? []) + (retiring ?? []).map { ($0.process, $0.spawnToken) }
    }

    public var hasExtraServers: Bool { surge != nil || !(retiring ?? []).isEmpty }
}
