import ArgumentParser
import SelfHostedInferenceCore

/// The start of every command that needs valid manifests.
enum ValidManifests {
    /// Loads DIR. Invalid: prints every diagnostic and the summary (plus `consequence`), exits 1.
    /// Valid: prints the warnings too when `showWarnings` (commands that change something).
    static func load(_ directory: String, showWarnings: Bool = false, consequence: String = "") throws -> ManifestSet {
        let manifests = ManifestSet.load(directory: directory)
        if showWarnings || !manifests.isValid { DiagnosticPrinter.print(manifests.diagnostics) }
        guard manifests.isValid else {
            Console.err(DiagnosticPrinter.summary(manifests.diagnostics, files: manifests.files.count) + consequence)
            throw ExitStatus.failure
        }
        return manifests
    }
}
