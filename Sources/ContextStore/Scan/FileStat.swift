#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `lstat` fields the indexer compares to decide whether a file changed.
public struct FileStat: Sendable, Equatable {
    public enum Kind: Sendable { case regular, directory, symlink, other }

    public var kind: Kind
    public var size: Int64
    public var mtimeNanoseconds: Int64
    public var inode: UInt64

    /// `lstat`: a symlink is reported as itself, never followed.
    public static func of(path: String) -> FileStat? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        return FileStat(st)
    }

    /// `fstatat` of a path relative to an open directory, not following a final symlink.
    public static func of(path: String, relativeTo directory: Int32) -> FileStat? {
        var st = stat()
        guard fstatat(directory, path, &st, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        return FileStat(st)
    }

    init(_ st: stat) {
        switch st.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symlink
        default: kind = .other
        }
        size = Int64(st.st_size)
        #if canImport(Darwin)
        mtimeNanoseconds = Int64(st.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(st.st_mtimespec.tv_nsec)
        #else
        mtimeNanoseconds = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
        #endif
        inode = UInt64(st.st_ino)
    }

    public init(kind: Kind, size: Int64, mtimeNanoseconds: Int64, inode: UInt64) {
        self.kind = kind
        self.size = size
        self.mtimeNanoseconds = mtimeNanoseconds
        self.inode = inode
    }
}
