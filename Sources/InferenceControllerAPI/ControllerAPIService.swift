import Foundation
import Hummingbird
import HummingbirdCore
import InferenceRuntime
import Logging
import NIOCore
import ServiceLifecycle

/// The controller's API as a service of `inferctl watch`'s group: the Unix socket in the state
/// folder, and a TCP listener when asked. Graceful shutdown (SIGTERM) ends the open event
/// streams first, so that the servers can drain and stop.
public struct ControllerAPIService: Service {
    public struct TCPListener: Sendable {
        public let address: ListenAddress
        /// Required by every request when set.
        public let token: String?

        public init(address: ListenAddress, token: String?) {
            self.address = address
            self.token = token
        }
    }

    /// Open connections per listener; past it, new ones wait (a flood cannot exhaust descriptors).
    static let maximumConnections = 64

    let model: any ControllerAPIModel
    let recorder: EventRecorder
    let socket: UnixSocketPlacement?
    let tcp: TCPListener?
    let log: @Sendable (String) -> Void
    let logger: Logger

    public init(model: any ControllerAPIModel, recorder: EventRecorder, socket: UnixSocketPlacement?, tcp: TCPListener?,
                logger: Logger, log: @escaping @Sendable (String) -> Void) {
        self.model = model
        self.recorder = recorder
        self.socket = socket
        self.tcp = tcp
        self.logger = logger
        self.log = log
    }

    public struct ListenFailed: Error, CustomStringConvertible {
        public let address: String
        public let reason: String
        public var description: String { "the API cannot listen on \(address): \(reason)" }
    }

    public func run() async throws {
        guard socket != nil || tcp != nil else {
            // Nothing to serve (no socket path fits, no --listen): stay until shutdown, since a
            // service that returns would end the whole group.
            try? await gracefulShutdown()
            return
        }
        defer { socket?.remove() }
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                if let socket {
                    let app = application(address: .unixDomainSocket(path: socket.bindPath), token: nil) { _ in
                        do {
                            try socket.publish()
                            log("API listening on \(socket.socketPath)")
                        } catch {
                            log("error: \(error)")
                        }
                    }
                    group.addTask { try await Self.run(app, address: socket.socketPath) }
                }
                if let tcp {
                    let app = application(address: .hostname(tcp.address.host, port: tcp.address.port), token: tcp.token) { channel in
                        let port = channel.localAddress?.port ?? tcp.address.port
                        log("API listening on \(ListenAddress.described(host: tcp.address.host, port: port))"
                            + (tcp.token == nil ? "" : " (bearer token required)"))
                    }
                    group.addTask { try await Self.run(app, address: tcp.address.description) }
                }
            }
        } onGracefulShutdown: {
            recorder.closeSubscriptions()
        }
    }

    private func application(address: BindAddress, token: String?,
                             onRunning: @escaping @Sendable (any Channel) async -> Void) -> some ApplicationProtocol {
        Application(router: APIRouter.make(model: model, token: token),
                    configuration: .init(address: address, serverName: nil,
                                         availableConnectionsDelegate: MaximumAvailableConnections(Self.maximumConnections, logger: logger)),
                    onServerRunning: onRunning, logger: logger)
    }

    private static func run(_ app: some ApplicationProtocol, address: String) async throws {
        do {
            try await app.run()
        } catch let error as IOError {
            throw ListenFailed(address: address, reason: error.description)
        }
    }
}

extension ListenAddress {
    static func described(host: String, port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
