import Foundation
import Glibc

/// A state folder and its identity: the authority that mints spawn tokens and decides which
/// recorded processes are provably ours.
public struct StateFolder: Sendable, Equatable {
    /// The environment variable every spawned server receives its spawn token in.
    public static let tokenVariable = "INFERCTL_SPAWN_TOKEN"

    public let layout: StateLayout
    public let identity: StateFolderIdentity
    /// Set when this run found the folder to be a copy, moved, or without a readable identity.
    public let notice: String?
    /// False when there is no folder yet: its identity is then new and random, so no running
    /// process can carry a token of it.
    public let exists: Bool

    public init(layout: StateLayout, identity: StateFolderIdentity, notice: String? = nil, exists: Bool = true) {
        self.layout = layout
        self.identity = identity
        self.notice = notice
        self.exists = exists
    }

    /// A fresh token for one spawn: `<folder id>.<128 random bits>`.
    public func newSpawnToken() -> String {
        identity.id + "." + StateFolderIdentity.randomHex()
    }

    /// Whether `token` was minted by this folder (a copied folder's tokens were not).
    public func minted(_ token: String) -> Bool {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 2 && String(parts[0]) == identity.id && StateFolderIdentity.isWellFormedID(String(parts[1]))
    }

    /// The environment entry prefix that marks this folder's servers in `/proc/PID/environ`.
    public var tokenEntryPrefix: String { "\(Self.tokenVariable)=\(identity.id)." }

    /// What a record claims about its process, if the claim could be ours at all: a process and a
    /// token this folder minted. Records without one name nothing we may adopt or signal.
    public func claim(for record: InstanceRecord) -> ProcessClaim? {
        guard let identity = record.process, let token = record.spawnToken, minted(token) else { return nil }
        return ProcessClaim(identity: identity, token: token)
    }

    /// The same proof for a surge or retiring server of a record.
    public func claim(identity: ProcessIdentity?, token: String) -> ProcessClaim? {
        guard let identity, minted(token) else { return nil }
        return ProcessClaim(identity: identity, token: token)
    }

    // MARK: Loading

    /// Reads the identity and, when the folder is new, moved or a copy, writes the right one.
    /// Call under the directory lock (apply, down): only the lock holder may change it.
    public static func establish(_ layout: StateLayout, now: Date = Date()) throws -> StateFolder {
        let located = try locate(layout)
        let (identity, notice, changed) = resolve(stored: readStored(layout), located: located, now: now)
        if changed {
            try AtomicFileWriter.write(try JSONCoding.encoder.encode(identity), to: layout.identityPath)
        }
        return StateFolder(layout: layout, identity: identity, notice: notice)
    }

    /// The identity as it would be established, without writing anything (plan, status). A folder
    /// that has none yet, or is a copy, gets a throwaway id: nothing recorded in it proves ours.
    public static func inspect(_ layout: StateLayout, now: Date = Date()) -> StateFolder {
        guard let located = try? locate(layout) else {
            return StateFolder(layout: layout, identity: StateFolderIdentity(path: layout.stateDirectory, device: 0, inode: 0,
                                                                           createdAt: now), exists: false)
        }
        let (identity, notice, _) = resolve(stored: readStored(layout), located: located, now: now)
        return StateFolder(layout: layout, identity: identity, notice: notice)
    }

    struct Location: Equatable {
        var path: String
        var device: UInt64
        var inode: UInt64
    }

    /// The state folder's device and inode; it must be a real directory, never a symlink.
    static func locate(_ layout: StateLayout) throws(SystemCallError) -> Location {
        var info = stat()
        guard lstat(layout.stateDirectory, &info) == 0 else { throw SystemCallError("lstat", path: layout.stateDirectory) }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            throw SystemCallError("open", path: layout.stateDirectory, code: ENOTDIR)
        }
        return Location(path: layout.stateDirectory, device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    enum Stored: Equatable {
        case missing
        case unreadable
        case found(StateFolderIdentity)
    }

    static func readStored(_ layout: StateLayout) -> Stored {
        let path = layout.identityPath
        var info = stat()
        guard lstat(path, &info) == 0 else { return errno == ENOENT ? .missing : .unreadable }
        guard (info.st_mode & S_IFMT) == S_IFREG, info.st_size < 64 * 1024,
              let data = FileManager.default.contents(atPath: path),
              let identity = try? JSONCoding.decoder.decode(StateFolderIdentity.self, from: data),
              StateFolderIdentity.isWellFormedID(identity.id)
        else { return .unreadable }
        return .found(identity)
    }

    /// Pure decision: which identity this folder has now, what to tell the user, whether to write it.
    static func resolve(stored: Stored, located: Location, now: Date) -> (StateFolderIdentity, String?, Bool) {
        let fresh = StateFolderIdentity(path: located.path, device: located.device, inode: located.inode, createdAt: now)
        switch stored {
        case .missing:
            return (fresh, nil, true)
        case .unreadable:
            return (fresh, "\(located.path)/identity.json could not be read; this state folder gets a new identity, "
                        + "and servers started under the old one are no longer recognised as ours (stop them by hand)", true)
        case .found(let identity) where identity.device == located.device && identity.inode == located.inode:
            guard identity.path != located.path else { return (identity, nil, false) }
            var moved = identity
            moved.path = located.path
            return (moved, nil, true)
        case .found(let identity):
            var copy = fresh
            copy.copiedFrom = identity.id
            return (copy, "this state folder is a copy of \(identity.path) (it has another inode); it gets its own identity, "
                        + "and the servers its records name belong to the original: they are never adopted nor stopped from here", true)
        }
    }
}
