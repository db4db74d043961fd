import Foundation
import InferenceModel

/// The public status file `<name>.instance.status.json`: what a person or a script reads.
public struct InstanceStatus: Codable, Sendable, Equatable {
    public var apiVersion: String = "inference.selfhosted/v1"
    public var kind: String = "InstanceStatus"
    public var name: String
    public var backend: String
    public var startupKind: StartupKind
    public var managementMode: ManagementMode
    public var phase: InstancePhase
    public var health: HealthStatus
    public var message: String?
    public var pid: Int32?
    public var port: Int?
    public var baseURL: String?
    public var endpoint: EndpointDescriptor?
    public var conditions: [Condition]
    public var restarts: Int
    public var lastExit: LastExit?
    public var logPath: String?
    /// The spec hash this status describes.
    public var observedGeneration: String
    public var startedAt: Date?
    public var readyAt: Date?
    public var updatedAt: Date

    public struct LastExit: Codable, Sendable, Equatable {
        public var status: String
        public var code: Int32?
        public var signal: Int32?
        /// Why inferctl stopped it (`ReadinessTimeout`…), when it did: a failure whatever the code.
        public var failedCheck: String?
        public var at: Date

        enum CodingKeys: String, CodingKey {
            case status, code, signal, at
            case failedCheck = "failed_check"
        }
    }

    enum CodingKeys: String, CodingKey {
        case apiVersion, kind, name, backend
        case startupKind = "startup_kind"
        case managementMode = "management_mode"
        case phase, health, message, pid, port
        case baseURL = "base_url"
        case endpoint, conditions, restarts
        case lastExit = "last_exit"
        case logPath = "log_path"
        case observedGeneration = "observed_generation"
        case startedAt = "started_at"
        case readyAt = "ready_at"
        case updatedAt = "updated_at"
    }

    public init(record: InstanceRecord, now: Date) {
        name = record.name
        backend = record.backend
        startupKind = record.startupKind
        managementMode = record.startupKind.managementMode
        phase = record.phase
        health = record.health
        message = record.message
        pid = record.phase == .stopped ? nil : record.process?.pid
        port = record.port
        baseURL = record.endpoint?.baseURL
        endpoint = record.endpoint
        conditions = record.conditions
        restarts = record.restarts
        lastExit = record.lastExit.map { exit in
            var code: Int32?, signal: Int32?
            switch exit.status {
            case .exited(let value): code = value
            case .signaled(let value): signal = value
            case .unknown: break
            }
            return LastExit(status: exit.description, code: code, signal: signal, failedCheck: exit.failedCheck, at: exit.at)
        }
        logPath = record.logPath
        observedGeneration = record.fingerprint.hash
        startedAt = record.startedAt
        readyAt = record.readyAt
        updatedAt = now
    }
}
