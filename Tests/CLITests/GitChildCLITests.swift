import Foundation
import Testing
import TestSupport

/// git's listings are children of rlmd that die with it and get a time limit. A fake `git` on
/// `PATH` stands for one that hangs (as real git does on some ignore lines): it records its pid
/// and sleeps.
@Suite struct GitChildCLITests {
    static let hasSetpriv = ["/usr/bin/setpriv", "/bin/setpriv"].contains { FileManager.default.isExecutableFile(atPath: $0) }

    /// A workspace with a `.git` folder (so rlmd asks git), and a folder holding the fake git.
    static func hangingGit() throws -> (workspace: Fixture, bin: Fixture, pids: String) {
        let workspace = try Fixture()
        try FileManager.default.createDirectory(atPath: workspace.root + "/.git", withIntermediateDirectories: true)
        try workspace.write(".gitignore", "*.log\n")
        try workspace.write("a.txt", "a\n")
        try workspace.write("src/b.txt", "b\n")
        try workspace.write("debug.log", "ignored\n")
        let bin = try Fixture()
        let pids = bin.root + "/pids"
        try bin.write("git", """
            #!/bin/sh
            case " $* " in
            *" ls-files "*) echo $$ >> "\(pids)"; exec sleep 120 ;;
            esac
            exit 128

            """)
        chmod(bin.root + "/git", 0o755)
        return (workspace, bin, pids)
    }

    static func recordedPids(_ file: String) -> [pid_t] {
        let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { pid_t($0) }
    }

    /// Running, as opposed to gone or a zombie nobody has reaped yet; and still the fake git's
    /// `sleep`, not another process given the pid since (killing that killed other tests' REPLs).
    static func isRunning(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              stat.contains("(sleep) "), let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(close, offsetBy: 2)...].prefix(1)
        return state != "Z" && state != "X"
    }

    static func environment(bin: Fixture, timeout: String) -> [String: String] {
        ["PATH": bin.root + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"), "RLMD_GIT_TIMEOUT": timeout]
    }

    @Test(.enabled(if: hasSetpriv, "needs util-linux's setpriv to give git a death signal"))
    func killedIndexerLeavesNoGitChild() async throws {
        let (workspace, bin, pids) = try Self.hangingGit()
        let cli = try CLI()
        let (process, _, _) = cli.process(["index", workspace.root], in: workspace.root,
                                          environment: Self.environment(bin: bin, timeout: "600"))
        try process.run()
        var deadline = Date().addingTimeInterval(30)
        while Date() < deadline, Self.recordedPids(pids).count < 2, process.isRunning { try await Task.sleep(for: .milliseconds(10)) }
        let children = Self.recordedPids(pids)
        #expect(children.count == 2, "both git listings should have started")
        #expect(children.allSatisfy(Self.isRunning))
        kill(process.processIdentifier, SIGKILL)
        deadline = Date().addingTimeInterval(10)
        while Date() < deadline, children.contains(where: Self.isRunning) { try await Task.sleep(for: .milliseconds(10)) }
        #expect(!children.contains(where: Self.isRunning), "git outlived rlmd: \(children.filter(Self.isRunning))")
        for child in children where Self.isRunning(child) { kill(child, SIGKILL) }
        _ = await finished(process, out: nil, err: nil)
    }

    @Test func hangingGitIsKilledAndTheWalkerLists() async throws {
        let (workspace, bin, pids) = try Self.hangingGit()
        let cli = try CLI()
        let started = Date()
        let result = try await cli.run(["index", workspace.root, "--json"], in: workspace.root,
                                       environment: Self.environment(bin: bin, timeout: "1"))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Date().timeIntervalSince(started) < 60)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["files"] as? Int == 3, "\(result.stdout)")  // .gitignore, a.txt, src/b.txt
        #expect(object["git"] as? Bool == false)
        #expect(result.stderr.contains("git ls-files took over") && result.stderr.contains("was killed"), "\(result.stderr)")
        let children = Self.recordedPids(pids)
        #expect(children.count == 2)
        #expect(!children.contains(where: Self.isRunning), "a timed-out git is still running")
        for child in children where Self.isRunning(child) { kill(child, SIGKILL) }
        let files = try await cli.run("files", in: workspace.root)
        #expect(files.stdout == ".gitignore\na.txt\nsrc/b.txt\n", "\(files.stderr)")
    }
}
