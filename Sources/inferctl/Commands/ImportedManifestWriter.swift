import ArgumentParser
import Foundation
import InferenceImport
import SelfHostedInferenceCore

/// Writes imported manifests into DIR only when all of them can be written: they validate on their
/// own, no file of the same name exists (unless forced), and no object of theirs is declared in
/// another file of DIR. Each file is written atomically; the directory is validated afterwards.
struct ImportedManifestWriter {
    let directory: String
    let force: Bool

    func write(_ manifests: [ImportedManifest], from source: String) throws {
        try validateAlone(manifests)
        let paths = manifests.map { (directory as NSString).appendingPathComponent($0.fileName) }
        let existing = paths.filter { FileManager.default.fileExists(atPath: $0) }
        if !existing.isEmpty && !force {
            for path in existing { Console.err("\(path): exists; not overwritten (use --force to replace it)") }
            Console.err("Nothing written.")
            throw ExitStatus.failure
        }
        try refuseNamesDeclaredElsewhere(manifests, paths: Set(paths))
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for (manifest, path) in zip(manifests, paths) { try AtomicFileWriter.write(manifest.text, to: path) }
        } catch {
            Console.err("\(directory): could not write the manifests: \(error)")
            throw ExitStatus.failure
        }
        Console.out("Imported \(source) into \(directory)/:")
        let width = manifests.map(\.fileName.count).max() ?? 0
        for (manifest, path) in zip(manifests, paths) {
            let mark = existing.contains(path) ? "~" : "+"
            Console.out("  \(mark) \(manifest.fileName.padding(toLength: width, withPad: " ", startingAt: 0))  \(manifest.summary)")
        }
        let written = ManifestSet.load(directory: directory)
        DiagnosticPrinter.print(written.diagnostics)
        Console.out(DiagnosticPrinter.summary(written.diagnostics, files: written.files.count))
        if !written.isValid { throw ExitStatus.failure }
        Console.out("Next: inferctl plan \(directory)")
    }

    /// The manifests validated in a scratch folder, with errors shown under the names they would have in DIR.
    private func validateAlone(_ manifests: [ImportedManifest]) throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("inferctl-import-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        do {
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            for manifest in manifests {
                try manifest.text.write(toFile: (scratch as NSString).appendingPathComponent(manifest.fileName), atomically: false, encoding: .utf8)
            }
        } catch {
            Console.err("could not check the imported manifests: \(error)")
            throw ExitStatus.failure
        }
        let checked = ManifestSet.load(directory: scratch)
        guard checked.isValid else {
            let errors = checked.diagnostics.errors.map { diagnostic -> Diagnostic in
                var shown = diagnostic
                shown.location.file = shown.location.file.replacingOccurrences(of: scratch, with: directory)
                return shown
            }
            DiagnosticPrinter.print(errors)
            Console.err("Nothing written: the imported manifests do not validate (a bug in the import, or a setting it cannot express).")
            throw ExitStatus.failure
        }
    }

    /// An instance the import writes that DIR already declares in another file would be a duplicate.
    private func refuseNamesDeclaredElsewhere(_ manifests: [ImportedManifest], paths: Set<String>) throws {
        guard FileManager.default.fileExists(atPath: directory) else { return }
        let current = ManifestSet.load(directory: directory)
        let standardized = Set(paths.map { URL(fileURLWithPath: $0).standardizedFileURL.path })
        var clashes: [String] = []
        for manifest in manifests {
            let declared = current.state.declarations(kind: manifest.kind, name: manifest.name)
            for origin in declared where !standardized.contains(URL(fileURLWithPath: origin.file).standardizedFileURL.path) {
                clashes.append("\(origin.file):\(origin.location.line):\(origin.location.column): \(manifest.kind) \(manifest.name) is already declared here; the import would declare it again in \(manifest.fileName)")
            }
        }
        guard clashes.isEmpty else {
            for clash in clashes { Console.err(clash) }
            Console.err("Nothing written: rename or remove those manifests first.")
            throw ExitStatus.failure
        }
    }
}

private extension DesiredState {
    func declarations(kind: String, name: String) -> [ManifestOrigin] {
        switch kind {
        case "Instance": return instances.filter { $0.name == name }.map(\.origin)
        case "ResidencyGroup": return residencyGroups.filter { $0.name == name }.map(\.origin)
        default: return []
        }
    }
}
