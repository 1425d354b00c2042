import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The processes descended from one pid, read from `/proc`, and the memory they hold.
enum ProcessTree {
    struct Member {
        var pid: pid_t
        var parent: pid_t
        var residentPages: Int
    }

    /// Resident bytes of `root` and every process below it that no file backs. A mapped context's
    /// pages are the page cache's, shared by every REPL over that snapshot and reclaimable, so they
    /// do not count; anonymous pages shared after a fork count once per process, so this errs high,
    /// as a cap should.
    static func anonymousBytes(root: pid_t) -> Int { Table.read().anonymousBytes(root: root) }

    static func members(root: pid_t) -> [Member] { Table.read().tree(root: root) }

    /// Every process of the machine, read in one pass without building a string per entry (a
    /// pass runs four times a second while cells run; hundreds of processes are common).
    struct Table {
        private var members: [pid_t: Member] = [:]
        private var children: [pid_t: [pid_t]] = [:]
        private static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

        static func read() -> Table {
            var table = Table()
            guard let directory = opendir("/proc") else { return table }
            defer { closedir(directory) }
            let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 1024)
            defer { buffer.deallocate() }
            while let entry = readdir(directory) {
                let pid = withUnsafeBytes(of: entry.pointee.d_name) { name -> pid_t? in
                    var value: pid_t = 0
                    for byte in name {
                        if byte == 0 { break }
                        guard (48...57).contains(byte), value < 100_000_000 else { return nil }
                        value = value * 10 + pid_t(byte - 48)
                    }
                    return value > 0 ? value : nil
                }
                guard let pid, let member = stat(pid, buffer: buffer) else { continue }
                table.members[pid] = member
                table.children[member.parent, default: []].append(pid)
            }
            return table
        }

        /// `root` first, then everything below it.
        func tree(root: pid_t) -> [Member] {
            guard let first = members[root] else { return [] }
            var found = [first], next = 0
            while next < found.count {
                found += (children[found[next].pid] ?? []).compactMap { members[$0] }
                next += 1
            }
            return found
        }

        func anonymousBytes(root: pid_t) -> Int {
            tree(root: root).reduce(0) { $0 + max(0, $1.residentPages - ProcessTree.fileBackedPages($1.pid)) * Self.pageSize }
        }
    }

    /// The resident pages of `pid` that files (or shared memory) back: the third field of `/proc/PID/statm`.
    static func fileBackedPages(_ pid: pid_t) -> Int {
        let fd = open("/proc/\(pid)/statm", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return 0 }
        var bytes = [UInt8](repeating: 0, count: 128)
        let count = read(fd, &bytes, bytes.count)
        close(fd)
        guard count > 0 else { return 0 }
        let fields = bytes[..<count].split(separator: UInt8(ascii: " "))
        guard fields.count > 2 else { return 0 }
        return fields[2].reduce(0) { (48...57).contains($1) ? $0 * 10 + Int($1 - 48) : $0 }
    }

    /// Fields of `/proc/PID/stat`: the command name in parentheses may hold spaces and
    /// parentheses, so the fields are counted from the last `)`.
    static func stat(_ pid: pid_t, buffer: UnsafeMutableBufferPointer<UInt8>) -> Member? {
        let fd = open("/proc/\(pid)/stat", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        let count = read(fd, buffer.baseAddress, buffer.count)
        close(fd)
        guard count > 0, let close = buffer[..<count].lastIndex(of: UInt8(ascii: ")")) else { return nil }
        // After the name: state is field 0, the parent 1, the resident pages 21.
        var field = -1, value = 0, parent: Int?, index = close + 1
        while index < count {
            let byte = buffer[index]
            if byte == UInt8(ascii: " ") {
                if field == 1 { parent = value }
                if field == 21 { return parent.map { Member(pid: pid, parent: pid_t($0), residentPages: value) } }
                field += 1
                value = 0
            } else if (48...57).contains(byte) {
                value = value * 10 + Int(byte - 48)
            }
            index += 1
        }
        return nil
    }
}
