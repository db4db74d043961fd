import Foundation
import InferenceControllerAPI
import SelfHostedInferenceCore

/// `watch --listen/--token-file`, checked before the controller starts: a listener that would
/// expose the API beyond this machine without a token is refused.
enum APIOptions {
    static func tcpListener(listen: String?, tokenFile: String?) throws -> ControllerAPIService.TCPListener? {
        guard let listen else {
            if tokenFile != nil {
                Console.err("error: --token-file protects the TCP listener: give --listen HOST:PORT too "
                            + "(the Unix socket is protected by its mode, 0600)")
                throw ExitStatus.failure
            }
            return nil
        }
        let address: ListenAddress
        do {
            address = try ListenAddress(parsing: listen)
        } catch {
            Console.err("error: \(error)")
            throw ExitStatus.failure
        }
        var token: String?
        if let tokenFile {
            do {
                token = try APIToken.read(file: tokenFile)
            } catch {
                Console.err("error: --token-file: \(error)")
                throw ExitStatus.failure
            }
        }
        guard address.isLoopback || token != nil else {
            Console.err("error: --listen \(address) is not a loopback address: anyone who reaches it could read the API; "
                        + "give --token-file FILE (clients then send 'Authorization: Bearer <token>') or listen on 127.0.0.1")
            throw ExitStatus.failure
        }
        if let problem = address.bindProblem() {
            Console.err("error: the API cannot listen on \(address): \(problem)")
            throw ExitStatus.failure
        }
        return .init(address: address, token: token)
    }

    /// The Unix socket's place; without one (a DIR path too long for a socket) the API is TCP only.
    static func socket(_ layout: StateLayout) -> UnixSocketPlacement? {
        do {
            return try UnixSocketPlacement.prepare(layout)
        } catch {
            WatchLog.print("warning: no API socket: \(error)")
            return nil
        }
    }
}
