import ArgumentParser
import SelfHostedInferenceCore

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check every manifest in DIR and report every problem at once.",
        discussion: """
        Each problem is printed as FILE:LINE:COLUMN: error: FIELD: message (hint). \
        Exit status: 0 when valid (warnings allowed), 1 when any error was found.
        """
    )

    @OptionGroup var location: DirectoryArgument
    @OptionGroup var output: OutputOption

    func run() throws {
        let manifests = ManifestSet.load(directory: location.directory)
        KeptUntilExit.keep(manifests)
        switch output.format {
        case .json:
            Console.out(try Console.json(ValidationReport(manifests)))
        case .text:
            DiagnosticPrinter.print(manifests.diagnostics)
            Console.out(DiagnosticPrinter.summary(manifests.diagnostics, files: manifests.files.count))
        }
        if !manifests.isValid { throw ExitStatus.failure }
    }
}

/// `validate -o json`.
struct ValidationReport: Encodable {
    let valid: Bool
    let files: [String]
    let backends: [String]
    let instances: [String]
    let consumers: [String]
    let diagnostics: [Diagnostic]

    init(_ manifests: ManifestSet) {
        valid = manifests.isValid
        files = manifests.files
        backends = manifests.state.backends.map(\.name)
        instances = manifests.state.instances.map(\.name)
        consumers = manifests.state.consumers.map(\.name)
        diagnostics = manifests.diagnostics
    }
}
