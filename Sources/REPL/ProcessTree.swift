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
    /// do not count; shared memory (`/dev/shm`, shared anonymous maps) does, and anonymous pages
    /// shared after a fork count once per process, so this errs high, as a cap should.
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

        /// A process that ended since the table was read counts nothing.
        func anonymousBytes(root: pid_t) -> Int {
            tree(root: root).reduce(0) { total, member in
                guard let file = ProcessTree.fileBackedBytes(member.pid) else { return total }
                return total + max(0, member.residentPages * Self.pageSize - file)
            }
        }
    }

    /// The resident bytes of `pid` that files back (`RssFile` of `/proc/PID/status`; statm's shared
    /// field would also hold shared memory); nil when the process is gone.
    static func fileBackedBytes(_ pid: pid_t) -> Int? {
        let fd = open("/proc/\(pid)/status", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: 4096)
        let count = read(fd, &bytes, bytes.count)
        close(fd)
        guard count > 0 else { return nil }
        let key = Array("RssFile:".utf8)
        var at = 0
        while at + key.count <= count {
            if bytes[at] == key[0], bytes[at..<at + key.count].elementsEqual(key) {
                var kilobytes = 0
                at += key.count
                while at < count, bytes[at] != UInt8(ascii: "\n") {
                    if (48...57).contains(bytes[at]) { kilobytes = kilobytes * 10 + Int(bytes[at] - 48) }
                    at += 1
                }
                return kilobytes * 1024
            }
            at += 1
        }
        return 0  // no RssFile line (kernels before 4.5): all of it counts
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
