import RLMSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file read and analysed off the writer's thread, ready to append.
struct PreparedFile: Sendable {
    enum Outcome: Sendable {
        case text(DecodedText, sha256: [UInt8])
        case skipped(SkipReason)
    }
    var path: String
    var stat: FileStat
    /// The file changed while it was read: index what was read, but check it again next time.
    var changedWhileReading: Bool
    var outcome: Outcome

    /// Memory the prepared text holds, for the reader queue's bound.
    var byteCount: Int {
        if case .text(let decoded, _) = outcome { return decoded.bytes.count + 256 }
        return 256
    }
}

/// Reads one workspace file safely: no symlinks followed, no blocking on FIFOs, a size cap,
/// binary detection on the first 8 KiB.
enum FileReader {
    static let binaryProbeBytes = 8192

    static func prepare(root: String, path: String, maxBytes: Int) -> PreparedFile {
        let fullPath = "\(root)/\(path)"
        let fd = open(fullPath, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        let placeholder = FileStat(kind: .regular, size: 0, mtimeNanoseconds: 0, inode: 0)
        guard fd >= 0 else {
            let reason: SkipReason = switch errno {
            case ENOENT, ENOTDIR: .vanished
            case ELOOP: .symlink
            default: .unreadable
            }
            return PreparedFile(path: path, stat: placeholder, changedWhileReading: false, outcome: .skipped(reason))
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            return PreparedFile(path: path, stat: placeholder, changedWhileReading: false, outcome: .skipped(.unreadable))
        }
        let before = FileStat(st)
        func skip(_ reason: SkipReason) -> PreparedFile {
            PreparedFile(path: path, stat: before, changedWhileReading: false, outcome: .skipped(reason))
        }
        guard before.kind == .regular else { return skip(.notRegular) }
        guard before.size <= maxBytes else { return skip(.tooLarge) }
        guard let bytes = DescriptorIO.readAll(fd, limit: maxBytes + 1) else { return skip(.unreadable) }
        guard bytes.count <= maxBytes else { return skip(.tooLarge) }
        let probe = min(bytes.count, binaryProbeBytes)
        let isBinary = probe > 0 && bytes.withUnsafeBufferPointer { memchr($0.baseAddress!, 0, probe) != nil }
        guard !isBinary else { return skip(.binary) }
        var after = stat()
        let changed = fstat(fd, &after) != 0 || FileStat(after) != before || Int64(bytes.count) != before.size
        let decoded = TextDecoder.decode(bytes)
        let digest = decoded.bytes.withUnsafeBytes { SHA256.hash($0) }
        return PreparedFile(path: path, stat: before, changedWhileReading: changed, outcome: .text(decoded, sha256: digest))
    }
}
