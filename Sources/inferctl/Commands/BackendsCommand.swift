import ArgumentParser
import Foundation
import SelfHostedInferenceCore

struct BackendsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backends",
        abstract: "List the registered backends and their manifests.",
        discussion: "Built-in backends, plus the kind: Backend declarations in DIR when it exists. -o json prints the seed's BackendManifest contracts."
    )

    @OptionGroup var location: DirectoryArgument
    @OptionGroup var output: OutputOption

    func run() throws {
        let hasDirectory = FileManager.default.fileExists(atPath: location.directory)
        let manifests = hasDirectory ? ManifestSet.load(directory: location.directory) : nil
        let registry = manifests?.registry ?? BackendRegistry()
        let all = registry.drivers.flatMap(\.manifests)
        switch output.format {
        case .json:
            Console.out(try Console.json(all))
        case .text:
            var rows = [["BACKEND", "STARTUP", "MANAGEMENT", "PROTOCOLS", "CAPABILITIES", "SOURCE"]]
            for driver in registry.drivers {
                let source = (driver as? GenericDriver).map { "\($0.definition.origin.file)" } ?? "built-in"
                for manifest in driver.manifests {
                    rows.append([
                        manifest.backend, manifest.startupKind.rawValue,
                        manifest.managementModes.map(\.rawValue).joined(separator: ","),
                        manifest.protocols.map(\.rawValue).joined(separator: ","),
                        manifest.capabilities.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "),
                        source,
                    ])
                }
            }
            for line in Console.table(rows) { Console.out(line) }
            if let manifests, !manifests.isValid {
                Console.err("note: \(location.directory) has invalid manifests; run inferctl validate \(location.directory)")
            }
        }
    }
}
