import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs short-lived helpers (git) with `posix_spawn` and collects their standard output.
///
/// Not Foundation's `Process`: on Linux each launch cost ~30 ms here (the whole no-change
/// refresh budget), where `posix_spawn` takes well under one.
public enum ProcessRunner {
    struct Output {
        var status: Int32
        var stdout: Data
    }

    enum Failure: Error { case spawn(Int32), pipe(Int32) }

    /// A started child whose output is read later, so several can run at once.
    struct Running {
        fileprivate let pid: pid_t
        fileprivate let output: Int32

        func finish() -> Output {
            var data = Data()
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
                if n > 0 {
                    data.append(buffer, count: n)
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            close(output)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            let exited = status & 0x7f == 0
            return Output(status: exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), stdout: data)
        }
    }

    /// Starts `executable` with `arguments`; stdin and stderr are /dev/null.
    static func start(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> Running {
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

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let env = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            env.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, nil, argv, env)
        close(fds[1])
        guard result == 0 else {
            close(fds[0])
            throw Failure.spawn(result)
        }
        return Running(pid: pid, output: fds[0])
    }

    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> Output {
        try start(executable, arguments, environment: environment).finish()
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
