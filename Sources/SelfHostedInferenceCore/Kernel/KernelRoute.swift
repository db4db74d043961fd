import Foundation
import InferenceRuntime

/// Which way a call goes: through the running controller, or under the directory lock (held by
/// the route until released).
enum KernelRoute {
    case controller
    case locked(DirectoryLock)
}

extension InferenceKernel {
    /// The controller when one runs, else the lock. A controller that takes the lock in between
    /// is asked too: it never lets go while it runs.
    func route() async throws(InferenceKernelError) -> KernelRoute {
        if await ControllerClient.runningController(layout) != nil { return .controller }
        let logger = configuration.logger
        do {
            let lock = try await DirectoryAccess.lock(layout, timeout: configuration.lockTimeout,
                                                      holder: configuration.holderDescription) { message in
                logger.info("\(message)")
            }
            return .locked(lock)
        } catch .controllerRunning {
            return .controller
        } catch {
            throw .directory(error)
        }
    }

    /// Under the lock: the state folder's records made to agree with the live processes again,
    /// what was found logged (as `inferctl` prints it).
    func recoverState() async throws(InferenceKernelError) -> PreparedState {
        let state: PreparedState
        do {
            state = try await PreparedState.recover(layout, environment: environment)
        } catch {
            throw .stateUnavailable("\(error)")
        }
        for notice in state.notices { configuration.logger.notice("\(notice)") }
        return state
    }

    func requireDirectory() throws(InferenceKernelError) {
        do {
            try DirectoryAccess.requireDirectory(layout.manifestDirectory)
        } catch {
            throw .directory(error)
        }
    }

    /// A route's exchange with the controller; refusals are handed to `refusal` to type them.
    func controllerExchange(_ method: String, _ uri: String, body: Data? = nil, timeout: Duration = .seconds(30),
                            refusal: (ControllerClient.Refused) -> InferenceKernelError) async throws(InferenceKernelError) -> Data {
        try await awaitControllerSocket()
        do {
            return try await ControllerClient.exchange(method, uri, layout, body: body, timeout: timeout)
        } catch let refused as ControllerClient.Refused {
            throw refusal(refused)
        } catch {
            throw .controllerUnreachable("\(error)")
        }
    }

    /// A controller opens its socket once it has recovered the state folder: give it that long.
    private func awaitControllerSocket() async throws(InferenceKernelError) {
        let socket = layout.apiSocketPath
        let deadline = ContinuousClock.now + configuration.controllerStartTimeout
        while !FileManager.default.fileExists(atPath: socket) {
            guard ContinuousClock.now < deadline, !Task.isCancelled else {
                throw .controllerUnreachable("a controller holds \(directory) but its API socket \(socket) did not appear within "
                                             + "\(configuration.controllerStartTimeout)")
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    func decodeAnswer<Answer: Decodable>(_ type: Answer.Type, _ data: Data) throws(InferenceKernelError) -> Answer {
        do {
            return try JSONCoding.decoder.decode(type, from: data)
        } catch {
            throw .controllerUnreachable("the controller's answer is not a \(type): \(error)")
        }
    }
}

extension Duration {
    /// Whole milliseconds, for the lease files and the API that count in them.
    var kernelMilliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
