import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

@Suite struct ExecCLITests {
    @Test func cellsShareOneREPLAndExitCodesSayWhatHappened() async throws {
        let tree = try CLITests.sampleTree()
        let cli = try CLI()
        #expect(try await cli.run("index", tree.root, in: tree.root).status == 0)
        let ok = try await cli.run(["exec", "--code", "n = len(docs)", "--code", "print(n, grep('def retry')[0][:2])",
                                    "--code", "FINAL(f'{n} documents')"], in: tree.root)
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout == "3 ('src/app/retry.py', 1)\n")
        #expect(ok.stderr.contains("FINAL: 3 documents"))

        let failed = try await cli.run(["exec", "--code", "1/0", "--code", "print('still runs')"], in: tree.root)
        #expect(failed.status == 1)
        #expect(failed.stdout == "still runs\n")
        #expect(failed.stderr.contains("ZeroDivisionError: division by zero"))

        let slow = try await cli.run(["exec", "--timeout", "0.5", "--code", "while True: pass"], in: tree.root)
        #expect(slow.status == 3)
        #expect(slow.stderr.contains("TimeoutError"))

        try tree.write("cell.py", "import json\nprint(json.dumps(llm_query('ping')))\n")
        let json = try await cli.run(["exec", "--json", "--echo-sub-calls", "cell.py"], in: tree.root)
        #expect(json.status == 0, "\(json.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let cells = try #require(report["cells"] as? [[String: Any]])
        #expect(cells.first?["stdout"] as? String == "\"echo: ping\"\n")
        let ready = try #require(report["ready"] as? [String: Any])
        #expect(ready["documents"] as? Int == 3)

        let nothing = try await cli.run(["exec"], in: tree.root)
        #expect(nothing.status == 2 && nothing.stderr.contains("nothing to run"))

        let fresh = try Fixture()
        let unindexed = try await cli.run(["exec", "--workspace", fresh.root, "--code", "1"], in: fresh.root)
        #expect(unindexed.status == 2 && unindexed.stderr == "rlmd: \(fresh.root) is not indexed yet: run `rlmd index \(fresh.root)` first\n")
    }

    @Test func aCellOverTheSandboxMemoryCapIsKilledAndTheNextRunsAfresh() async throws {
        let tree = try CLITests.sampleTree()
        let cli = try CLI()
        #expect(try await cli.run("index", tree.root, in: tree.root).status == 0)
        let run = try await cli.run(["exec", "--sandbox-memory-mb", "150", "--code", "held = b'x' * (300 << 20)",
                                     "--code", "print('held' in globals())"], in: tree.root)
        #expect(run.stderr.contains("MemoryError: the cell's processes held "), "\(run.stderr)")
        #expect(run.stderr.contains("over the sandbox's cap of 150 MiB"))
        #expect(run.stdout == "False\n")
        let refused = try await cli.run(["exec", "--sandbox-memory-mb=-1", "--code", "1"], in: tree.root)
        #expect(refused.status == 2 && refused.stderr.contains("--sandbox-memory-mb must be 0 (off) or more"))
    }

    /// rlmd killed with SIGKILL cannot clean up: the sandbox and its children must end anyway.
    @Test(arguments: ["strongest", "unshare", "none"])
    func theSandboxDiesWithRlmd(isolation: String) async throws {
        let tree = try CLITests.sampleTree()
        let cli = try CLI()
        #expect(try await cli.run("index", tree.root, in: tree.root).status == 0)
        let marker = "\(4000 + Int.random(in: 100...899))"
        let cell = "import subprocess, time\nsubprocess.Popen(['sleep', '\(marker)'])\ntime.sleep(600)"
        let (process, _, _) = cli.process(["exec", "--isolation", isolation, "--code", cell], in: tree.root)
        try process.run()
        var alive: [String] = []
        for _ in 0..<100 where alive.isEmpty {
            try await Task.sleep(for: .milliseconds(50))
            alive = ProcessTable.commandLines(containing: "sleep \(marker)")
        }
        #expect(!alive.isEmpty)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        var left = alive
        for _ in 0..<50 where !left.isEmpty {
            try await Task.sleep(for: .milliseconds(100))
            left = ProcessTable.commandLines(containing: "sleep \(marker)")
        }
        #expect(left.isEmpty, "still running: \(left)")
    }
}
