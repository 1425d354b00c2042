import ContextStore
import Foundation
import RLMSupport
#if canImport(Glibc)
import Glibc
#endif

/// A child started with `posix_spawn` in its own session, with stdin on /dev/null, stdout and
/// stderr on one pipe (`output`) and the two protocol pipes on fds 3 (to the child) and 4
/// (from the child).
///
/// Not swift-subprocess: it ties a child's lifetime to a closure's scope, and it spawns from
/// whatever thread runs the task. `PR_SET_PDEATHSIG` (bubblewrap's `--die-with-parent`) fires when
/// the *thread* that spawned exits, and Dispatch retires idle worker threads, so a sandbox
/// spawned from a pool thread could die minutes later for no reason. Every spawn here runs on
/// one thread that lives as long as rlmd (`SpawnThread`).
final class SpawnedProcess: @unchecked Sendable {  // `exitStatus` is only touched under `lock`; the rest is immutable
    let pid: pid_t
    /// Writes to the child's fd 3.
    let toChild: Int32
    /// Reads the child's fd 4. Whoever reads it to EOF closes it.
    let fromChild: Int32
    /// Reads the child's stdout and stderr. Whoever reads it to EOF closes it.
    let output: Int32
    private let lock = NSLock()
    private var exitStatus: Int32?

    struct SpawnError: Error, CustomStringConvertible {
        var description: String
    }

    private init(pid: pid_t, toChild: Int32, fromChild: Int32, output: Int32) {
        self.pid = pid
        self.toChild = toChild
        self.fromChild = fromChild
        self.output = output
    }

    /// `inherit` maps descriptors of ours to descriptor numbers in the child (beyond 0-4).
    /// A child that dies makes our next write to its pipe fail with EPIPE; by default that signal
    /// would end rlmd itself. Ignored once, process-wide, before the first child starts.
    private static let ignoreBrokenPipes: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    /// The child starts in rlmd's working directory; the runtime moves to its scratch folder.
    static func spawn(_ argv: [String], environment: [String: String], inherit: [Int32: Int32] = [:]) throws -> SpawnedProcess {
        ignoreBrokenPipes
        return try SpawnThread.shared.run { try spawnHere(argv, environment: environment, inherit: inherit) }
    }

    private static func spawnHere(_ argv: [String], environment: [String: String], inherit: [Int32: Int32]) throws -> SpawnedProcess {
        var request: [Int32] = [0, 0], reply: [Int32] = [0, 0], output: [Int32] = [0, 0]
        // Moved at once to close-on-exec copies (every spawn of the REPL happens on this thread) numbered
        // above every descriptor the child's dup2s target, so none is overwritten before it is copied.
        guard pipe(&request) == 0, pipe(&reply) == 0, pipe(&output) == 0 else {
            throw SpawnError(description: "pipe: \(String(cString: strerror(errno)))")
        }
        request = request.map(movedUp); reply = reply.map(movedUp); output = output.map(movedUp)
        guard (request + reply + output).allSatisfy({ $0 >= firstFree }) else {
            (request + reply + output).forEach { close($0) }
            throw SpawnError(description: "fcntl: \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        posix_spawn_file_actions_adddup2(&actions, output[1], 2)
        posix_spawn_file_actions_adddup2(&actions, request[0], 3)
        posix_spawn_file_actions_adddup2(&actions, reply[1], 4)
        // A descriptor to inherit may itself be one of 0...4 (freed by a close elsewhere), which the
        // dup2s above would overwrite first: each goes through a copy above every target.
        let copies = inherit.map { (fcntl($0.key, F_DUPFD_CLOEXEC, firstFree), $0.value) }
        defer { copies.forEach { close($0.0) } }
        if let failed = copies.first(where: { $0.0 < 0 }) {
            [request[0], request[1], reply[0], reply[1], output[0], output[1]].forEach { close($0) }
            throw SpawnError(description: "cannot pass descriptor \(failed.1) on: \(String(cString: strerror(errno)))")
        }
        for (copy, theirs) in copies { posix_spawn_file_actions_adddup2(&actions, copy, theirs) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own session, so the whole group can be killed; default signal dispositions.
        var defaults = sigset_t()
        sigfillset(&defaults)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &none)
        let setsid: Int32 = 0x80  // glibc's POSIX_SPAWN_SETSID, hidden behind _GNU_SOURCE
        posix_spawnattr_setflags(&attributes, Int16(setsid | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var pid: pid_t = 0
        let result = withCStringArray(argv) { cArguments in
            withCStringArray(environmentStrings(environment)) { posix_spawn(&pid, argv[0], &actions, &attributes, cArguments, $0) }
        }
        close(request[0])
        close(reply[1])
        close(output[1])
        guard result == 0 else {
            [request[1], reply[0], output[0]].forEach { close($0) }
            throw SpawnError(description: "could not start \(argv[0]): \(String(cString: strerror(result)))")
        }
        return SpawnedProcess(pid: pid, toChild: request[1], fromChild: reply[0], output: output[0])
    }

    private static let firstFree: Int32 = 16

    /// A close-on-exec copy of `fd` numbered at least `firstFree`, the original closed; when no
    /// copy can be made, `fd` itself.
    private static func movedUp(_ fd: Int32) -> Int32 {
        let copy = fcntl(fd, F_DUPFD_CLOEXEC, firstFree)
        guard copy >= 0 else { return fd }
        close(fd)
        return copy
    }

    /// Writes all of `data` to the child's protocol pipe; false once the child has closed it.
    func send(_ data: Data) -> Bool {
        DescriptorIO.writeAll(toChild, data)
    }

    /// Kills the child's whole session (its process group) and reaps the child.
    func kill() {
        _ = Glibc.kill(-pid, SIGKILL)
        _ = Glibc.kill(pid, SIGKILL)
        _ = waitForExit()
    }

    /// Waits for the child to end; returns its exit status (128 + signal when killed).
    func waitForExit() -> Int32 {
        lock.lock()
        defer { lock.unlock() }
        if let exitStatus { return exitStatus }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return record(status)
    }

    /// Exit status if the child has ended, without waiting.
    func exitStatusIfEnded() -> Int32? {
        lock.lock()
        defer { lock.unlock() }
        if let exitStatus { return exitStatus }
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
        return record(status)
    }

    /// Keeps a `waitpid` status as an exit status (128 + signal when killed); the lock is held.
    private func record(_ status: Int32) -> Int32 {
        let code = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        exitStatus = code
        return code
    }
}
