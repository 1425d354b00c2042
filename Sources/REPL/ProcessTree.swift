import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The processes descended from one pid, read from `/proc`, and the memory they hold.
enum ProcessTree {
    /// Resident bytes of `root` and every process below it. Pages shared after a fork count once
    /// per process, so this errs high, as a cap should.
    static func residentBytes(root: pid_t) -> Int {
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        return members(root: root).reduce(0) { $0 + $1.residentPages * pageSize }
    }

    struct Member {
        var pid: pid_t
        var parent: pid_t
        var residentPages: Int
    }

    static func members(root: pid_t) -> [Member] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        var children: [pid_t: [Member]] = [:]
        var rootMember: Member?
        for entry in entries where entry.first?.isNumber == true {
            guard let pid = pid_t(entry), let member = stat(pid) else { continue }
            if pid == root { rootMember = member } else { children[member.parent, default: []].append(member) }
        }
        guard let rootMember else { return [] }
        var found = [rootMember], next = 0
        while next < found.count {
            found += children[found[next].pid] ?? []
            next += 1
        }
        return found
    }

    /// Fields of `/proc/PID/stat`: the command name in parentheses may hold spaces and
    /// parentheses, so the fields are counted from the last `)`.
    static func stat(_ pid: pid_t) -> Member? {
        let fd = open("/proc/\(pid)/stat", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 1024)
        let count = read(fd, &buffer, buffer.count)
        guard count > 0, let close = buffer[..<count].lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = buffer[(close + 1)..<count].split(separator: UInt8(ascii: " "))
        // After the name: state(0) ppid(1) ... rss is field 24 of the line, 21 after the name.
        guard fields.count > 21, let parent = pid_t(String(decoding: fields[1], as: UTF8.self)),
              let pages = Int(String(decoding: fields[21], as: UTF8.self)) else { return nil }
        return Member(pid: pid, parent: parent, residentPages: pages)
    }
}
