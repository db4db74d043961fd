import Foundation
import InferenceBackends
import InferenceModel

/// The backends a program registered in code, guarded for concurrent callers.
final class RegisteredBackends: @unchecked Sendable {
    private let lock = NSLock()
    private var backends: [BackendDefinition] = [] // guarded by `lock`

    var all: [BackendDefinition] { lock.withLock { backends } }

    /// Adds `backend` after checking it alone (the rules a `kind: Backend` document obeys) and
    /// against those already registered.
    func add(_ backend: BackendDefinition) throws(InferenceKernelError) {
        var problems = Validator.validate(DesiredState(backends: [backend]), catalog: BackendRegistry(customBackends: [backend])).errors
        if let problem = ResourceName.problem(backend.name) {
            problems.append(.error(at: backend.origin.location, field: "metadata.name", problem))
        }
        lock.lock()
        defer { lock.unlock() }
        if backends.contains(where: { $0.name == backend.name }) {
            problems.append(.error(at: backend.origin.location, field: "metadata.name", "a backend named \(backend.name) is already registered"))
        }
        guard problems.isEmpty else { throw .invalidBackend(name: backend.name, diagnostics: problems) }
        backends.append(backend)
    }
}

extension BackendDefinition {
    /// Where backends registered in code say they come from, in diagnostics.
    public static let registeredInCode = ManifestOrigin(file: "(registered in code)", location: SourceLocation(file: "(registered in code)", line: 1, column: 1))

    /// A backend declared in code, the same as a `kind: Backend` document with this name and spec.
    public init(name: String, spec: CustomBackendSpec) {
        self.init(metadata: ObjectMetadata(name: name), spec: spec, origin: Self.registeredInCode)
    }
}
