import Foundation
import Glibc

/// Who a state folder is, kept in `.inferctl/identity.json` and created once.
///
/// Every server a folder starts carries a spawn token that begins with the folder's `id`, so a
/// process is provably this folder's. The folder's device and inode are recorded with it: a copy
/// (`cp -a d d2`) has a new inode, is detected, and gets an id of its own, so it never adopts nor
/// stops the original's servers. A folder that was moved (same inode, new path) keeps its id.
public struct StateFolderIdentity: Codable, Sendable, Equatable {
    public static let currentVersion = 1

    public var version: Int
    /// 32 lowercase hex digits.
    public var id: String
    /// Where the folder was when this identity was last confirmed.
    public var path: String
    public var device: UInt64
    public var inode: UInt64
    public var createdAt: Date
    /// When this folder was found to be a copy: the id of the folder it was copied from.
    public var copiedFrom: String?

    enum CodingKeys: String, CodingKey {
        case version, id, path, device, inode
        case createdAt = "created_at"
        case copiedFrom = "copied_from"
    }

    public init(id: String = Self.randomHex(), path: String, device: UInt64, inode: UInt64, createdAt: Date,
                copiedFrom: String? = nil) {
        self.version = Self.currentVersion
        self.id = id
        self.path = path
        self.device = device
        self.inode = inode
        self.createdAt = createdAt
        self.copiedFrom = copiedFrom
    }

    /// 128 random bits as 32 hex digits.
    public static func randomHex() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let hex = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }

    static func isWellFormedID(_ id: String) -> Bool {
        id.utf8.count == 32 && id.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
