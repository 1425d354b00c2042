import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The REPL's private folders: `$TMPDIR/rlmd-repl-<rlmd's pid>-XXXXXX`, one per Python process,
/// removed when the REPL closes.
enum Scratch {
    private static let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    /// Runs once per process, before the first folder is made.
    private static let leftoversRemoved: Void = removeLeftovers(in: base)

    /// A private folder for one REPL process, owned by the sandbox user.
    static func make(owner: uid_t?) throws -> String {
        _ = leftoversRemoved
        var template = Array("\(base)/rlmd-repl-\(getpid())-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw ReplError("cannot create a scratch folder in \(base): \(String(cString: strerror(errno)))")
        }
        let path = String(cString: made)
        if let owner { _ = chown(path, owner, owner) }
        return path
    }

    /// Removes the folders of rlmd processes that ended without closing their REPL (killed, say):
    /// those whose pid no longer runs. Folders without a pid in their name are left alone.
    static func removeLeftovers(in base: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: base) else { return }
        for name in names where name.hasPrefix("rlmd-repl-") {
            let parts = name.dropFirst("rlmd-repl-".count).split(separator: "-")
            guard parts.count == 2, let pid = Int32(parts[0]), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(atPath: "\(base)/\(name)")
        }
    }

    /// Writes `text` to a file in `folder`, opens it and unlinks it: the descriptor is the only way in.
    static func anonymousFile(in folder: String, text: String) throws -> Int32 {
        let path = "\(folder)/.context"
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw ReplError("cannot write the context into \(folder)")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        unlink(path)
        guard fd >= 0 else { throw ReplError("cannot open \(path): \(String(cString: strerror(errno)))") }
        return fd
    }

    /// Tasks (threads, which RLIMIT_NPROC counts) that `uid` runs now, so a process limit
    /// leaves room for that many more.
    static func taskCount(uid: uid_t) -> Int {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return 0 }
        var count = 0
        for entry in entries where entry.first?.isNumber == true {
            var st = stat()
            guard stat("/proc/\(entry)", &st) == 0, st.st_uid == uid else { continue }
            count += (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(entry)/task").count) ?? 1
        }
        return count
    }
}
