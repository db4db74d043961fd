import Foundation

/// One instance as the manifests want it, reduced to what planning needs.
public struct DesiredInstance: Sendable, Equatable {
    public var name: String
    public var backend: String
    public var startupKind: StartupKind
    public var fingerprint: SpecFingerprint
    public var restart: RestartSpec
    public var activation: ActivationSpec
    public var rollout: RolloutStrategy

    public init(name: String, backend: String, startupKind: StartupKind, fingerprint: SpecFingerprint,
                restart: RestartSpec = .init(), activation: ActivationSpec = .init(), rollout: RolloutStrategy = .recreate) {
        self.name = name
        self.backend = backend
        self.startupKind = startupKind
        self.fingerprint = fingerprint
        self.restart = restart
        self.activation = activation
        self.rollout = rollout
    }

    public init(_ instance: InstanceManifest, startupKind: StartupKind) {
        self.init(name: instance.name, backend: instance.spec.backend, startupKind: startupKind,
                  fingerprint: SpecFingerprint(spec: instance.spec, startupKind: startupKind),
                  restart: instance.spec.restart, activation: instance.spec.activation,
                  rollout: instance.spec.effectiveRolloutStrategy)
    }
}

/// How a process ended, as far as we could learn.
public enum TerminationStatus: Codable, Sendable, Equatable, CustomStringConvertible {
    case exited(code: Int32)
    case signaled(signal: Int32)
    /// Not our child (adopted from an earlier run): the kernel does not tell us.
    case unknown

    public var isFailure: Bool {
        if case .exited(code: 0) = self { return false }
        return true
    }

    public var description: String {
        switch self {
        case .exited(let code): "exited with status \(code)"
        case .signaled(let signal): "killed by signal \(signal)"
        case .unknown: "exited, status unknown"
        }
    }
}

/// The last time a recorded process ended.
public struct ExitRecord: Codable, Sendable, Equatable {
    public var status: TerminationStatus
    public var at: Date
    /// Set when we stopped it because it failed a check (`ReadinessTimeout`, `ExitedBeforeReady`…):
    /// then it failed, whatever its exit code (a server may exit 0 on our SIGTERM).
    public var failedCheck: String?

    public init(status: TerminationStatus, at: Date, failedCheck: String? = nil) {
        self.status = status
        self.at = at
        self.failedCheck = failedCheck
    }

    public var isFailure: Bool { failedCheck != nil || status.isFailure }

    /// `exited with status 0 after inferctl stopped it (ReadinessTimeout)`.
    public var description: String {
        guard let failedCheck else { return status.description }
        return "failed (\(failedCheck)); stopped by inferctl, \(status.description)"
    }

    enum CodingKeys: String, CodingKey {
        case status, at
        case failedCheck = "failed_check"
    }
}

/// What is true of a recorded process now.
public enum ProcessObservation: String, Codable, Sendable, Equatable {
    /// The recorded pid is alive and is the very process we started.
    case running
    /// It exited (or is a zombie), or its pid is free.
    case exited
    /// The pid now names another process: never adopt it, never signal it.
    case reused
    /// Something runs under the recorded pid and start time, but it does not carry our spawn
    /// token (a forged record, a copied state folder): never adopt it, never signal it.
    case unproven
    /// Nothing to observe: attached instances have no process of ours.
    case notApplicable = "not_applicable"
}

/// One instance as the state folder and /proc say it is.
public struct ObservedInstance: Sendable, Equatable {
    public var name: String
    public var backend: String
    public var startupKind: StartupKind
    public var fingerprint: SpecFingerprint
    public var process: ProcessObservation
    public var pid: Int32?
    /// The phase our last status write recorded.
    public var phase: InstancePhase
    public var restarts: Int
    public var startedAt: Date?
    public var lastExit: ExitRecord?
    /// Why it is not ready, when it is not (e.g. `connection refused at http://…`).
    public var message: String?
    /// The last Surge rollout that failed, while the old revision keeps serving.
    public var rolloutFailure: RolloutFailure?

    public init(name: String, backend: String, startupKind: StartupKind, fingerprint: SpecFingerprint,
                process: ProcessObservation, pid: Int32? = nil, phase: InstancePhase, restarts: Int = 0,
                startedAt: Date? = nil, lastExit: ExitRecord? = nil, message: String? = nil, rolloutFailure: RolloutFailure? = nil) {
        self.name = name
        self.backend = backend
        self.startupKind = startupKind
        self.fingerprint = fingerprint
        self.process = process
        self.pid = pid
        self.phase = phase
        self.restarts = restarts
        self.startedAt = startedAt
        self.lastExit = lastExit
        self.message = message
        self.rolloutFailure = rolloutFailure
    }
}
