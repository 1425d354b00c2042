import Foundation
import REPL
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Model-written code that misbehaves: each case gives a clear result and the next cell runs.
@Suite struct ReplBadInputTests {
    @Test func aCellThatNeverEndsIsInterruptedAndVariablesSurvive() async throws {
        let repl = Harness.repl(timeout: .seconds(1))
        _ = try await repl.execute("kept = [1, 2]")
        let result = try await repl.execute("while True:\n    pass")
        #expect(result.timedOut && !result.stateLost)
        #expect(result.error?.contains("interrupted; variables are kept") == true)
        #expect(try await repl.execute("kept").stdout == "[1, 2]\n")
        await repl.close()
    }

    @Test func aCellThatSwallowsItsInterruptIsKilledAndTheProcessReplaced() async throws {
        let repl = Harness.repl(timeout: .seconds(1)) { $0.interruptGrace = .milliseconds(500) }
        _ = try await repl.execute("kept = 1")
        let cell = "while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        pass"
        let result = try await repl.execute(cell)
        #expect(result.timedOut && result.stateLost)
        #expect(result.error?.contains("ignored its interrupt") == true)
        let after = try await repl.execute("kept")
        #expect(after.error?.contains("NameError") == true)
        #expect(try await repl.execute("1 + 1").stdout == "2\n")
        await repl.close()
    }

    @Test func allocatingWithoutBoundRaisesMemoryError() async throws {
        let results = try await Harness.run(["kept = 3", "block = bytearray(4 << 30)", "kept"],
                                            configure: { $0.limits.addressSpaceBytes = 1 << 30 })
        #expect(results[1].error?.contains("MemoryError") == true)
        #expect(!results[1].stateLost)
        #expect(results[2].stdout == "3\n")
    }

    static var processLimitHolds: Bool { geteuid() != 0 ? Harness.hasNamespaces : Harness.sandbox.mode == .bubblewrap }

    @Test(.enabled(if: processLimitHolds, "root without bubblewrap is exempt from RLIMIT_NPROC"))
    func forkingWithoutBoundStopsAtTheProcessLimit() async throws {
        // The children become `sleep <marker>`, so one left behind shows in the process table.
        let marker = "\(4000 + Int.random(in: 100...899))"
        let cell = """
            import os, time
            made = 0
            try:
                while made < 500:
                    if os.fork() == 0:
                        try:
                            os.execvp('sleep', ['sleep', '\(marker)'])
                        finally:
                            os._exit(0)
                    made += 1
                print("unbounded", made)
            except OSError as error:
                print("stopped", made, error.strerror)
            """
        // The limit counts every task of the sandbox's user, and REPLs of tests running beside this
        // one start threads between this REPL's start and its cell, so how many forks succeed varies;
        // under a burst none may, and then a fresh REPL tries again.
        var repl = Harness.repl { $0.limits.processes = 100 }
        var made = 0
        for attempt in 1...5 {
            let result = try await repl.execute(cell)
            let words = result.stdout.split(separator: " ", maxSplits: 2)
            #expect(words.first == "stopped" && result.stdout.hasSuffix("Resource temporarily unavailable\n"), "\(result.stdout)")
            made = words.count == 3 ? Int(words[1]) ?? -1 : -1
            if made != 0 || attempt == 5 { break }
            await repl.close()
            repl = Harness.repl { $0.limits.processes = 100 }
        }
        #expect(made > 0 && made < 400)
        #expect(try await repl.execute("'alive'").stdout == "'alive'\n")
        var alive = ProcessTable.commandLines(containing: "sleep \(marker)").count
        for _ in 0..<30 where alive < made {
            try await Task.sleep(for: .milliseconds(100))
            alive = ProcessTable.commandLines(containing: "sleep \(marker)").count
        }
        #expect(alive == made)
        await repl.close()
        #expect(try await Self.sleepsLeft(marker).isEmpty)
    }

    @Test func childProcessesDieWithTheREPL() async throws {
        let marker = "\(3000 + Int.random(in: 100...899))"
        let repl = Harness.repl()
        let result = try await repl.execute("import subprocess\nchild = subprocess.Popen(['sleep', '\(marker)'])\nprint('started')")
        #expect(result.stdout == "started\n")
        #expect(!ProcessTable.commandLines(containing: "sleep \(marker)").isEmpty)
        await repl.close()
        #expect(try await Self.sleepsLeft(marker).isEmpty)
    }

    @Test func writingGarbageToTheProtocolPipeReplacesTheProcess() async throws {
        let cell = "import os\nfor fd in map(int, os.listdir('/proc/self/fd')):\n    try:\n        os.write(fd, b'not a message\\n')\n    except OSError:\n        pass"
        let results = try await Harness.run(["kept = 1", cell, "kept", "2 + 2"])
        #expect(results[1].stateLost)
        #expect(results[1].error?.contains("protocol pipe") == true)
        #expect(results[2].error?.contains("NameError") == true)
        #expect(results[3].stdout == "4\n")
    }

    @Test func closingTheProtocolPipesEndsTheProcessCleanly() async throws {
        let cell = "import os\nfor fd in map(int, os.listdir('/proc/self/fd')):\n    if fd > 2:\n        try:\n            os.close(fd)\n        except OSError:\n            pass\nimport time\ntime.sleep(5)"
        let results = try await Harness.run([cell, "'again'"])
        #expect(results[0].stateLost)
        #expect(results[0].error?.contains("ended during the cell") == true)
        #expect(results[1].stdout == "'again'\n")
    }

    @Test(arguments: [
        ("import os\nos._exit(7)", "exit status 7"),
        ("import os, signal\nos.killpg(0, signal.SIGKILL)", "SIGKILL"),
        ("import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)", "SIGSEGV"),
    ])
    func aCellThatEndsItsOwnProcessGetsAClearResult(cell: String, reason: String) async throws {
        let results = try await Harness.run([cell, "'next'"])
        #expect(results[0].stateLost)
        #expect(results[0].error?.contains(reason) == true, "\(results[0].error ?? "")")
        #expect(results[1].stdout == "'next'\n")
    }

    @Test func outputWrittenPastPythonReachesTheCellBounded() async throws {
        let results = try await Harness.run([
            "import os, subprocess\nos.write(1, b'raw bytes\\n')\nsubprocess.run(['echo', 'from a child'])\nprint('via print')",
            "import os\n_ = os.write(2, b'y' * 300_000)",
        ], configure: { $0.outputLimit = 1000 })
        #expect(results[0].stdout == "via print\nraw bytes\nfrom a child\n")
        #expect(results[1].stdout.hasPrefix(String(repeating: "y", count: 500) + "\n... [299000 bytes of process output cut]"))
    }

    /// The `sleep MARKER` processes still alive after up to 2 s.
    private static func sleepsLeft(_ marker: String) async throws -> [String] {
        var left = ProcessTable.commandLines(containing: "sleep \(marker)")
        for _ in 0..<20 where !left.isEmpty {
            try await Task.sleep(for: .milliseconds(100))
            left = ProcessTable.commandLines(containing: "sleep \(marker)")
        }
        return left
    }
}
