import Foundation
import Glibc
import Testing
@testable import InferenceRuntime

/// `.inferctl`, `.inferctl/instances` and `.inferctl/logs` must be real directories; the manifest
/// directory itself may be a link.
@Suite struct StateDirectoriesTests {
    @Test func createsTheMissingFoldersAsRealDirectories() throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let layout = StateLayout(manifestDirectory: dir)
        try StateDirectories.prepare(layout)
        try StateDirectories.prepare(layout) // again: nothing to do
        for path in [layout.stateDirectory, layout.recordsDirectory, layout.logsDirectory] {
            var info = stat()
            #expect(lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR, "\(path)")
        }
    }

    @Test(arguments: [".inferctl", ".inferctl/instances", ".inferctl/logs"])
    func refusesAStateFolderThatIsALink(_ linked: String) throws {
        let dir = makeScratchDirectory("refuses\(linked)")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let elsewhere = dir + "/elsewhere"
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        let manifests = dir + "/manifests"
        try FileManager.default.createDirectory(atPath: manifests + "/" + linked, withIntermediateDirectories: true)
        try FileManager.default.removeItem(atPath: manifests + "/" + linked)
        try FileManager.default.createSymbolicLink(atPath: manifests + "/" + linked, withDestinationPath: elsewhere)

        let layout = StateLayout(manifestDirectory: manifests)
        #expect(throws: SystemCallError.refusedSymbolicLink(manifests + "/" + linked, operation: "mkdir")) {
            try StateDirectories.prepare(layout)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere).isEmpty, "something was created through the link")
    }

    @Test func aDanglingLinkIsRefusedToo() throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createSymbolicLink(atPath: dir + "/.inferctl", withDestinationPath: dir + "/nowhere")
        #expect(throws: SystemCallError.refusedSymbolicLink(dir + "/.inferctl", operation: "mkdir")) {
            try StateDirectories.prepare(StateLayout(manifestDirectory: dir))
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/nowhere"))
    }

    @Test func theManifestDirectoryItselfMayBeALink() throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/real", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir + "/link", withDestinationPath: dir + "/real")
        try StateDirectories.prepare(StateLayout(manifestDirectory: dir + "/link"))
        #expect(FileManager.default.fileExists(atPath: dir + "/real/.inferctl/logs"))
    }

    @Test func neverCreatesTheManifestDirectory() {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(throws: SystemCallError("mkdir", path: dir + "/missing/.inferctl", code: ENOENT)) {
            try StateDirectories.prepare(StateLayout(manifestDirectory: dir + "/missing"))
        }
    }
}
