import InferenceModel
import InferenceRuntime

/// Why an `InferenceKernel` call did nothing. Whatever the path (a running controller or the
/// directory lock), the same failure is the same case; a failed `ensureEndpoint` leaves no lease
/// behind.
public enum InferenceKernelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The directory's manifests, with the registered backends, do not validate (every diagnostic,
    /// warnings included). Nothing was started.
    case invalidManifests(directory: String, diagnostics: [Diagnostic])
    /// `register(backend:)` refused a backend: what is wrong with it.
    case invalidBackend(name: String, diagnostics: [Diagnostic])
    /// The directory is missing, or could not be locked.
    case directory(DirectoryAccess.Failure)
    /// `ensureEndpoint` handed out nothing: an unknown consumer, no compatible instance (each
    /// candidate with what it lacks), an instance that did not become ready, a directory held down…
    case ensure(EnsureFailure)
    /// `renew` or `release` refused: an unknown lease, an expired one, one taken as not renewable.
    case lease(LeaseLedger.Failure)
    /// A controller runs on the directory, and it reads only the directory's `kind: Backend`
    /// documents: these registered backends are unknown to it. Declare them in the directory too.
    case backendsUnknownToController([String])
    /// The running controller refused, for a reason no case above covers: its HTTP status and message.
    case controllerRefused(code: UInt, message: String)
    /// A controller holds the directory but its API does not answer.
    case controllerUnreachable(String)
    /// The state folder (`DIR/.inferctl`) could not be recovered or written.
    case stateUnavailable(String)
    /// `endpointChanges` could not watch the manifest directory.
    case watchFailed(directory: String, reason: String)

    /// What went wrong, for people (diagnostics rendered as `file:line:col: error: …`).
    public var description: String {
        switch self {
        case .invalidManifests(let directory, let diagnostics):
            let errors = diagnostics.errors
            return "the manifests in \(directory) are invalid (\(errors.count) error\(errors.count == 1 ? "" : "s")):\n  "
                + errors.map(\.rendered).joined(separator: "\n  ")
        case .invalidBackend(let name, let diagnostics):
            return "backend \(name) cannot be registered: " + diagnostics.errors.map(\.message).joined(separator: "; ")
        case .directory(let failure): return failure.description
        case .ensure(let failure): return failure.description
        case .lease(let failure): return failure.description
        case .backendsUnknownToController(let names):
            return "a controller runs on the directory and does not know the registered backend\(names.count == 1 ? "" : "s") "
                + names.joined(separator: ", ") + ": it reads only the directory's manifests; declare them there as kind: Backend"
        case .controllerRefused(let code, let message): return "the controller refused (\(code)): \(message)"
        case .controllerUnreachable(let why): return why
        case .stateUnavailable(let why): return "the state folder cannot be used: \(why)"
        case .watchFailed(let directory, let reason): return "cannot watch \(directory): \(reason)"
        }
    }
}
