/// What a planned action will do, as the runtime worked it out when planning (the pure `Planner`
/// leaves it nil): the command line to launch, the process to stop, the URL to attach to, and the
/// record revision it was planned from. The executor carries out exactly this, and refuses it once
/// the instance's record has moved on.
public struct ActionPayload: Codable, Sendable, Equatable {
    /// The instance's record when the action was planned; execution compares it with the store's.
    public var recordRevision: RecordRevision
    /// spawn, replace, restart of a server we run.
    public var launch: PlannedLaunch?
    /// stop, replace: the running process of ours that goes first.
    public var stop: PlannedStop?
    /// attach, and replace into an attachment.
    public var attach: PlannedAttach?

    public init(recordRevision: RecordRevision, launch: PlannedLaunch? = nil, stop: PlannedStop? = nil,
                attach: PlannedAttach? = nil) {
        self.recordRevision = recordRevision
        self.launch = launch
        self.stop = stop
        self.attach = attach
    }

    enum CodingKeys: String, CodingKey {
        case recordRevision = "record_revision"
        case launch, stop, attach
    }

    /// `record_revision` is always written: a number, or null for "there was no record".
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch recordRevision {
        case .missing: try container.encodeNil(forKey: .recordRevision)
        case .revision(let number): try container.encode(number, forKey: .recordRevision)
        }
        try container.encodeIfPresent(launch, forKey: .launch)
        try container.encodeIfPresent(stop, forKey: .stop)
        try container.encodeIfPresent(attach, forKey: .attach)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        recordRevision = try container.decodeIfPresent(Int.self, forKey: .recordRevision).map(RecordRevision.revision) ?? .missing
        launch = try container.decodeIfPresent(PlannedLaunch.self, forKey: .launch)
        stop = try container.decodeIfPresent(PlannedStop.self, forKey: .stop)
        attach = try container.decodeIfPresent(PlannedAttach.self, forKey: .attach)
    }
}

/// Where the port of a launch comes from.
public enum PortSource: String, Codable, Sendable {
    /// Written in the manifest.
    case fixed
    /// `port: auto`, and the instance had this port before: kept when it is still free at execution.
    case kept
    /// `port: auto` with no port to keep: a free one is chosen at execution.
    case auto
}

/// A server's command line as its backend builds it, secrets by reference only. `{port}` stands for
/// the port wherever the backend puts it, so a port chosen at execution (`auto`, or a kept port that
/// was taken meanwhile) goes exactly where the plan shows.
public struct PlannedLaunch: Codable, Sendable, Equatable {
    public static let portPlaceholder = "{port}"

    /// Program and arguments, with `{port}` for the port.
    public var argv: [String]
    /// Plain environment variables added to the controller's (`{port}` for the port, if any).
    public var environment: [String: String]
    /// Variables whose values are secrets: only their references, read at launch.
    public var secretEnvironment: [String: SecretReference]
    public var host: String
    /// The port: written, or kept; nil when it is chosen at execution.
    public var port: Int?
    public var portSource: PortSource

    public init(argv: [String], environment: [String: String] = [:], secretEnvironment: [String: SecretReference] = [:],
                host: String, port: Int?, portSource: PortSource) {
        self.argv = argv
        self.environment = environment
        self.secretEnvironment = secretEnvironment
        self.host = host
        self.port = port
        self.portSource = portSource
    }

    /// argv with `{port}` replaced by `port`.
    public func argv(port: Int) -> [String] { argv.map { Self.render($0, port: port) } }

    /// The plain environment with `{port}` replaced by `port`.
    public func environment(port: Int) -> [String: String] { environment.mapValues { Self.render($0, port: port) } }

    static func render(_ text: String, port: Int) -> String {
        text.split(separator: portPlaceholder, omittingEmptySubsequences: false).joined(separator: String(port))
    }

    enum CodingKeys: String, CodingKey {
        case argv, environment, host, port
        case secretEnvironment = "secret_environment"
        case portSource = "port_source"
    }

    /// `port` is always written: a number, or null when it is chosen at execution.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(argv, forKey: .argv)
        try container.encode(environment, forKey: .environment)
        try container.encode(secretEnvironment, forKey: .secretEnvironment)
        try container.encode(host, forKey: .host)
        try container.encode(port, forKey: .port)
        try container.encode(portSource, forKey: .portSource)
    }
}

/// The process that goes first: one of ours, named by pid, start time and boot (so a recycled pid
/// is never taken for it), with how to stop it.
public struct PlannedStop: Codable, Sendable, Equatable {
    public var pid: Int32
    /// Field 22 of /proc/PID/stat when it started.
    public var startTimeTicks: UInt64
    public var bootID: String
    public var signal: String
    public var gracePeriodMilliseconds: Int64

    public init(pid: Int32, startTimeTicks: UInt64, bootID: String, signal: String, gracePeriodMilliseconds: Int64) {
        self.pid = pid
        self.startTimeTicks = startTimeTicks
        self.bootID = bootID
        self.signal = signal
        self.gracePeriodMilliseconds = gracePeriodMilliseconds
    }

    enum CodingKeys: String, CodingKey {
        case pid, signal
        case startTimeTicks = "start_time_ticks"
        case bootID = "boot_id"
        case gracePeriodMilliseconds = "grace_period_ms"
    }
}

/// The server we attach to (never start, never stop).
public struct PlannedAttach: Codable, Sendable, Equatable {
    public var url: String

    public init(url: String) {
        self.url = url
    }
}
