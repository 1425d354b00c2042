import Foundation
@testable import REPL
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

@Suite struct ReplSandboxTests {
    @Test func theEnvironmentCarriesNoKeysOrTokens() async throws {
        setenv("RLMD_TEST_SECRET_API_KEY", "sk-do-not-leak", 1)
        setenv("GITHUB_TOKEN", "ghp-do-not-leak", 1)
        let results = try await Harness.run(["import os\nprint(sorted(os.environ))\nprint('leak' in repr(os.environ))"])
        #expect(!results[0].stdout.contains("KEY") && !results[0].stdout.contains("TOKEN"))
        #expect(results[0].stdout.hasSuffix("False\n"))
    }

    @Test func cellsRunInAPrivateScratchFolderThatIsRemovedOnClose() async throws {
        let note = "note-\(UUID().uuidString).txt"
        let repl = Harness.repl()
        let result = try await repl.execute("import os\nopen('\(note)', 'w').write('hi')\nprint(os.getcwd()); print(os.listdir('.'))")
        #expect(result.error == nil)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines[1].contains(note))
        if Harness.hasBubblewrap { #expect(lines[0] == "/scratch") }
        // Seen from outside (inside bubblewrap the folder is /scratch): this process's scratch folders.
        func foldersHoldingTheNote() -> [String] {
            let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
            let names = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
            return names.filter { $0.hasPrefix("rlmd-repl-\(getpid())-") && FileManager.default.fileExists(atPath: "\(base)/\($0)/\(note)") }
        }
        #expect(foldersHoldingTheNote().count == 1)
        await repl.close()
        #expect(foldersHoldingTheNote().isEmpty)
    }

    @Test(.enabled(if: Harness.hasNamespaces, "needs bubblewrap or unshare for a network namespace"))
    func thereIsNoNetworkNotEvenLoopbackOfTheHost() async throws {
        let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(server, $0, length) } }
        listen(server, 4)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(server, $0, &length) } }
        defer { close(server) }
        let port = Int(UInt16(bigEndian: address.sin_port))
        let cell = """
            import socket
            try:
                socket.create_connection(("127.0.0.1", \(port)), timeout=2)
                print("connected")
            except OSError as error:
                print("refused", type(error).__name__)
            """
        let results = try await Harness.run([cell])
        #expect(results[0].stdout.hasPrefix("refused"))
    }

    @Test(.enabled(if: Harness.hasBubblewrap, "needs bubblewrap for a read-only file system"))
    func theFileSystemIsReadOnlyAndTheUsersFilesAreInvisible() async throws {
        let fixture = try Fixture()
        try fixture.write("secret.txt", "private")
        let cell = """
            import os
            for path in ("/usr/rlmd-probe", "/etc/rlmd-probe"):
                try:
                    open(path, "w")
                    print("wrote", path)
                except OSError as error:
                    print("denied", error.errno)
            print(os.path.exists(\(String(reflecting: fixture.root + "/secret.txt"))), os.path.exists(os.path.expanduser("~/.ssh")))
            print(sorted(os.listdir("/")))
            """
        let results = try await Harness.run([cell])
        let lines = results[0].stdout.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("denied") && lines[1].hasPrefix("denied"))
        #expect(lines[2] == "False False")
        #expect(!lines[3].contains("'home'") && !lines[3].contains("'work'"))
    }

    @Test func limitsAreInForce() async throws {
        let cell = """
            import resource
            print(resource.getrlimit(resource.RLIMIT_AS)[0] >> 20, resource.getrlimit(resource.RLIMIT_FSIZE)[0] >> 20)
            try:
                open("big.bin", "wb").write(b"x" * (3 << 20))
                print("wrote")
            except OSError as error:
                print("EFBIG" if error.errno == 27 else error)
            """
        let repl = Harness.repl {
            $0.limits.addressSpaceBytes = 2 << 30
            $0.limits.fileSizeBytes = 2 << 20
        }
        let ready = try await repl.start()
        #expect(ready.limits["as"] == 2 << 30)
        #expect(ready.limits["fsize"] == 2 << 20)
        let result = try await repl.execute(cell)
        await repl.close()
        #expect(result.stdout == "2048 2\nEFBIG\n")
    }

    @Test(.enabled(if: geteuid() == 0 && Harness.sandbox.mode == .bubblewrap, "root with bubblewrap runs the sandbox as nobody"))
    func asRootTheSandboxRunsAsNobody() async throws {
        let results = try await Harness.run(["import os\nprint(os.getresuid(), os.getresgid())"])
        #expect(results[0].stdout == "(65534, 65534, 65534) (65534, 65534, 65534)\n")
    }

    @Test(arguments: [ReplOptions.Isolation.unshare, .none])
    func weakerSandboxesStillRunCellsAndSaySo(isolation: ReplOptions.Isolation) async throws {
        let repl = Harness.repl { $0.isolation = isolation }
        let ready = try await repl.start()
        let result = try await repl.execute("x = 2\nx ** 10")
        await repl.close()
        #expect(result.stdout == "1024\n")
        #expect(ready.sandbox == (isolation == .unshare && Sandbox.verify(.unshare).mode == .unshare ? .unshare : .none))
        let layers = await repl.sandbox.layers()
        #expect(layers.first { $0.name == "filesystem" }?.active == false)
    }

    @Test func layersNameEveryProtection() {
        let names = Harness.sandbox.layers().map(\.name)
        #expect(names == ["environment", "scratch", "network", "filesystem", "user", "rlimits", "memory", "timeout", "lifetime"])
    }
}

@Suite struct ReplDescriptorTests {
    /// A descriptor rlmd opened without close-on-exec must not reach model code.
    @Test func onlyTheProtocolPipesAreOpenInside() async throws {
        let stray = open("/etc/hostname", O_RDONLY)
        defer { close(stray) }
        #expect(stray >= 0)
        let results = try await Harness.run(["import os\nprint(sorted(int(fd) for fd in os.listdir('/proc/self/fd')))"])
        // 0-2, the two protocol pipes, and the descriptor listdir itself holds open.
        #expect(results[0].stdout == "[0, 1, 2, 3, 100, 101]\n")
    }
}

@Suite struct ReplSandboxFallbackTests {
    /// A sandbox tool that is on PATH but does not work (a container without user namespaces, say)
    /// costs one failed start, then the REPL runs in the strongest sandbox that works.
    @Test func aBrokenSandboxToolFallsBackToOneThatWorks() async throws {
        let broken = Sandbox(mode: .bubblewrap, bubblewrap: "/bin/false", unshare: nil, setpriv: nil, isRoot: geteuid() == 0)
        let repl = ReplProcess(context: .text("x"), options: ReplOptions(), sandbox: broken) { _ in "" }
        let ready = try await repl.start()
        #expect(ready.sandbox == Sandbox.verify().mode)
        #expect(await repl.sandbox.verified)
        #expect(try await repl.execute("len(context)").stdout == "1\n")
        await repl.close()
    }
}

@Suite struct ScratchTests {
    @Test func foldersOfRlmdProcessesThatAreGoneAreRemoved() throws {
        let base = try Fixture()
        // A pid that ran and ended: a process this test started and waited for.
        let ended = Process()
        ended.executableURL = URL(fileURLWithPath: "/bin/true")
        try ended.run()
        ended.waitUntilExit()
        let names = ["rlmd-repl-\(ended.processIdentifier)-abc123", "rlmd-repl-\(getpid())-def456", "rlmd-repl-1-ghi789",
                     "rlmd-repl-jkl012", "other-\(ended.processIdentifier)-mno345"]
        for name in names { try fixtureFolder(base, name) }
        Scratch.removeLeftovers(in: base.root)
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: base.root))
        #expect(left == Set(names.dropFirst()))
    }

    private func fixtureFolder(_ base: Fixture, _ name: String) throws {
        try FileManager.default.createDirectory(atPath: "\(base.root)/\(name)", withIntermediateDirectories: false)
        FileManager.default.createFile(atPath: "\(base.root)/\(name)/rlmd_runtime.pyc", contents: Data("x".utf8))
    }
}
