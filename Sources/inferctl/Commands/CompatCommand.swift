import ArgumentParser
import SelfHostedInferenceCore

struct CompatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compat",
        abstract: "Explain whether a consumer is compatible with an instance.",
        discussion: """
        Checks the consumer's requirements against the instance's backend manifest, in the seed's order \
        (runtime kind, management mode, protocol, startup kind, capabilities) and lists every missing requirement. \
        Without --instance, the consumer's own instance (or each instance its selector matches) is checked.
        Exit status: 0 compatible, 1 incompatible or an error.
        """
    )

    @Argument(help: "Consumer name.")
    var consumer: String

    @Option(help: "Check against this instance instead of the consumer's own.")
    var instance: String?

    @OptionGroup var location: DirectoryArgument
    @OptionGroup var output: OutputOption

    func run() throws {
        let manifests = ManifestSet.load(directory: location.directory)
        guard let definition = manifests.state.consumer(named: consumer) else {
            let hint = Suggestions.closest(to: consumer, among: manifests.state.consumers.map(\.name)).map { " (did you mean '\($0)'?)" } ?? ""
            Console.err("error: no consumer named '\(consumer)' in \(location.directory)\(hint)")
            throw ExitStatus.failure
        }
        let candidates: [InstanceManifest]
        if let instance {
            guard let found = manifests.state.instance(named: instance) else {
                Console.err("error: no instance named '\(instance)' in \(location.directory)")
                throw ExitStatus.failure
            }
            candidates = [found]
        } else {
            candidates = ConsumerBinding.candidates(for: definition.spec, in: manifests.state)
        }
        guard !candidates.isEmpty else {
            Console.err("error: consumer '\(consumer)' names no existing instance; use --instance NAME")
            throw ExitStatus.failure
        }
        var checks: [CompatibilityCheck] = []
        for candidate in candidates {
            guard let backend = manifests.registry.manifest(for: candidate.spec) else {
                Console.err("error: instance '\(candidate.name)' has no usable backend ('\(candidate.spec.backend)'); run inferctl validate")
                throw ExitStatus.failure
            }
            checks.append(CompatibilityCheck(consumer: consumer, instance: candidate.name, backend: backend.backend,
                                             result: Compatibility.check(consumer: definition.manifest, backend: backend)))
        }
        switch output.format {
        case .json: Console.out(try Console.json(checks))
        case .text: checks.forEach(Self.explain)
        }
        if !checks.contains(where: \.result.compatible) { throw ExitStatus.failure }
    }

    static func explain(_ check: CompatibilityCheck) {
        let result = check.result
        Console.out("Consumer \(check.consumer) -> instance \(check.instance) (backend \(check.backend))")
        let verdict = result.compatible ? Console.styled("compatible", .green) : Console.styled("not compatible", .red)
        Console.out("  \(verdict) (\(result.reason.rawValue))")
        if result.compatible {
            let rows = [["runtime kind", result.resolvedRuntimeKind?.rawValue ?? "-"],
                        ["management mode", result.resolvedManagementMode?.rawValue ?? "-"],
                        ["protocol", result.resolvedProtocol?.rawValue ?? "-"]]
            for line in Console.table(rows, indent: "    ") { Console.out(line) }
        } else {
            Console.out("  missing requirements:")
            for gap in result.missingRequirements {
                Console.out("    - \(gap.reason.rawValue): \(gap.explanation)")
            }
        }
        if !result.warnings.isEmpty {
            Console.out("  warnings:")
            for warning in result.warnings { Console.out("    - \(warning)") }
        }
    }
}

/// One consumer/instance pairing and its result, for `compat -o json`.
struct CompatibilityCheck: Encodable {
    let consumer: String
    let instance: String
    let backend: String
    let result: CompatibilityResult
}
