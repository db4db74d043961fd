import Foundation
import Testing
@testable import InferenceRuntime

@Suite("A state folder's identity: created once, kept when moved, new when copied")
struct StateFolderTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let here = StateFolder.Location(path: "/srv/models/.inferctl", device: 64768, inode: 1234)

    @Test func aNewFolderGetsAnIdentityWrittenOnce() {
        let (identity, notice, write) = StateFolder.resolve(stored: .missing, located: here, now: now)
        #expect(write)
        #expect(notice == nil)
        #expect(StateFolderIdentity.isWellFormedID(identity.id))
        #expect(identity.inode == 1234)
        let (again, _, writeAgain) = StateFolder.resolve(stored: .found(identity), located: here, now: now)
        #expect(again == identity)
        #expect(!writeAgain, "an unchanged folder writes nothing")
    }

    @Test func aMovedFolderKeepsItsIdentity() {
        let (identity, _, _) = StateFolder.resolve(stored: .missing, located: here, now: now)
        var moved = here
        moved.path = "/home/me/models/.inferctl"
        let (after, notice, write) = StateFolder.resolve(stored: .found(identity), located: moved, now: now)
        #expect(after.id == identity.id)
        #expect(after.path == moved.path)
        #expect(write)
        #expect(notice == nil)
    }

    @Test func aCopiedFolderGetsItsOwnIdentity() {
        let (original, _, _) = StateFolder.resolve(stored: .missing, located: here, now: now)
        var copy = here
        copy.path = "/srv/models-copy/.inferctl"
        copy.inode = 9999
        let (identity, notice, write) = StateFolder.resolve(stored: .found(original), located: copy, now: now)
        #expect(identity.id != original.id)
        #expect(identity.copiedFrom == original.id)
        #expect(write)
        #expect(notice?.contains("copy of /srv/models/.inferctl") == true)
    }

    @Test func tokensProveTheFolderThatMintedThem() {
        let layout = StateLayout(manifestDirectory: "/srv/models")
        let folder = StateFolder(layout: layout, identity: StateFolderIdentity(path: "/x", device: 1, inode: 2, createdAt: now))
        let other = StateFolder(layout: layout, identity: StateFolderIdentity(path: "/x", device: 1, inode: 3, createdAt: now))
        let token = folder.newSpawnToken()
        #expect(folder.minted(token))
        #expect(!other.minted(token))
        #expect(!folder.minted(folder.identity.id))
        #expect(!folder.minted(folder.identity.id + ".xyz"))
        #expect(folder.newSpawnToken() != token)

        var record = InstanceRecord(name: "a", backend: "simulation", startupKind: .spawned, fingerprint: .init(fields: [:]))
        record.process = ProcessIdentity(pid: 4242, startTimeTicks: 7, bootID: "b")
        #expect(folder.claim(for: record) == nil, "a record without a token claims nothing")
        record.spawnToken = token
        #expect(folder.claim(for: record)?.token == token)
        #expect(other.claim(for: record) == nil, "a copied folder's records claim nothing")
    }

    @Test func namesReadFromDiskNeverLeaveTheirFolder() {
        let layout = StateLayout(manifestDirectory: "/srv/models")
        for hostile in ["../../../victim/settings", "a/b", "..", ".", "", "UPPER", "x\u{0}y"] {
            let paths = [layout.recordPath(hostile), layout.logPath(hostile), layout.instanceStatusPath(hostile),
                         layout.consumerStatusPath(hostile)]
            for path in paths {
                let relative = path.split(separator: "/").map(String.init)
                #expect(!relative.contains(".."), "\(path)")
                #expect(path.hasPrefix("/srv/models/"), "\(path)")
                #expect(relative.count == (path.contains("/.inferctl/") ? 5 : 3), "\(path)")
            }
        }
        #expect(layout.recordPath("good-name") == "/srv/models/.inferctl/instances/good-name.json")
    }
}
