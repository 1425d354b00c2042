import Foundation
import RLMSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs short-lived helpers (git) with `posix_spawn` and collects their standard output, within
/// a time limit, as children that die with rlmd.
///
/// Not Foundation's `Process`: on Linux each launch cost ~30 ms here (the whole no-change
/// refresh budget), where `posix_spawn` takes well under one.
///
/// `posix_spawn` cannot set `PR_SET_PDEATHSIG` in the child (and Swift cannot call the variadic
/// `prctl`), so where util-linux's `setpriv` exists the child is `setpriv --pdeathsig KILL` and
/// execs the helper, which keeps the death signal (it survives `execve`). The signal follows the
/// thread that spawned, so every spawn happens on `SpawnThread`, which lives as long as rlmd.
/// Without `setpriv` a helper outlives a killed rlmd until it ends by itself or hits its deadline.
public enum ProcessRunner {
    struct Output {
        var status: Int32
        var stdout: Data
    }

    enum Failure: Error { case spawn(Int32), pipe(Int32), timedOut }

    static let setpriv: String? = {
        #if os(Linux)
        return which("setpriv", environment: ["PATH": "/usr/bin:/bin:/usr/sbin:/sbin"])
        #else
        return nil
        #endif
    }()

    /// A started child whose output is read later, so several can run at once.
    struct Running {
        let pid: pid_t
        fileprivate let output: Int32
        let deadline: ContinuousClock.Instant

        /// Reads the child's output to its end and reaps it; nil, with the child killed and
        /// reaped, when the deadline passes first.
        func finish() -> Output? {
            var data = Data()
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let remaining = ContinuousClock.now.duration(to: deadline)
                guard remaining > .zero else {
                    kill()
                    return nil
                }
                var descriptor = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
                let ready = poll(&descriptor, 1, Int32(clamping: Int(remaining.milliseconds) + 1))
                if ready < 0 && errno != EINTR {
                    kill()
                    return nil
                }
                if ready <= 0 { continue }
                let n = buffer.withUnsafeMutableBytes { DescriptorIO.read(output, into: $0) }
                if n > 0 {
                    data.append(buffer, count: n)
                } else if n < 0 && errno == EAGAIN {
                    continue
                } else {
                    break
                }
            }
            close(output)
            return Output(status: reap(), stdout: data)
        }

        /// Kills the child (SIGKILL), closes its pipe and reaps it.
        func kill() {
            _ = Glibc.kill(pid, SIGKILL)
            close(output)
            _ = reap()
        }

        private func reap() -> Int32 {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            let exited = status & 0x7f == 0
            return exited ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        }
    }

    /// Starts `executable` with `arguments`; stdin and stderr are /dev/null. `finish()` gives up
    /// on it `timeout` from now.
    static func start(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                      timeout: Duration) throws -> Running {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        let argv = (setpriv.map { [$0, "--pdeathsig", "KILL"] } ?? []) + [executable] + arguments
        let environment = environment ?? ProcessInfo.processInfo.environment
        let (pid, output) = try SpawnThread.shared.run { try spawnHere(argv, environment: environment) }
        return Running(pid: pid, output: output, deadline: deadline)
    }

    private static func spawnHere(_ argv: [String], environment: [String: String]) throws -> (pid_t, Int32) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw Failure.pipe(errno) }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)

        var pid: pid_t = 0
        let result = withCStringArray(argv) { cArguments in
            withCStringArray(environmentStrings(environment)) { posix_spawn(&pid, argv[0], &actions, nil, cArguments, $0) }
        }
        close(fds[1])
        guard result == 0 else {
            close(fds[0])
            throw Failure.spawn(result)
        }
        return (pid, fds[0])
    }

    /// Runs `executable` to its end; throws `Failure.timedOut` (the child killed) after `timeout`.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                    timeout: Duration) throws -> Output {
        guard let output = try start(executable, arguments, environment: environment, timeout: timeout).finish() else {
            throw Failure.timedOut
        }
        return output
    }

    /// The first `PATH` entry holding an executable `name`.
    public static func which(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}
