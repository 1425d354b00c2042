import Foundation
import REPL
import Testing

@Suite struct ReplCellTests {
    @Test func variablesPersistAndALastExpressionIsShown() async throws {
        let results = try await Harness.run(["x = 20", "x * 2 + 2", "print('printed'); y = [x]", "y", "None"])
        #expect(results.map(\.error) == [nil, nil, nil, nil, nil])
        #expect(results[1].stdout == "42\n")
        #expect(results[2].stdout == "printed\n")
        #expect(results[3].stdout == "[20]\n")
        #expect(results[4].stdout == "")
        #expect(results.allSatisfy { !$0.stateLost && $0.final == nil })
    }

    @Test func writesToTheCapturedStreamsReturnHowMuchTheyTook() async throws {
        // Head kept, then tail: each write reports the whole string, as a file's would.
        let code = "import sys\nn = [sys.stdout.write('abc'), sys.stdout.write('x' * 3000)]\nsys.stderr.write(repr(n))"
        let results = try await Harness.run([code], configure: { $0.outputLimit = 1000 })
        #expect(results[0].stderr == "[3, 3000]")
    }

    @Test func outputKeepsHeadAndTailAndSaysHowMuchWasCut() async throws {
        let results = try await Harness.run(["print('A' * 5000 + 'B' * 5000)"], configure: { $0.outputLimit = 1000 })
        let out = results[0].stdout
        #expect(out.hasPrefix(String(repeating: "A", count: 500)))
        #expect(out.hasSuffix(String(repeating: "B", count: 499) + "\n"))
        #expect(out.contains("[9001 chars cut"))
        #expect(out.count < 1200)
    }

    @Test func printingHundredsOfMegabytesCostsBoundedOutput() async throws {
        let cell = "for i in range(300):\n    print('x' * 1_000_000)\nprint('end')"
        let results = try await Harness.run([cell, "print('next')"], configure: { $0.outputLimit = 2000 })
        #expect(results[0].error == nil)
        #expect(results[0].stdout.count < 2200)
        #expect(results[0].stdout.hasSuffix("end\n"))
        #expect(results[0].stdout.contains("[299998304 chars cut"))  // 300 × 1,000,001 + "end\n" − 2,000 kept
        #expect(results[1].stdout == "next\n")
    }

    @Test func onlyAnExecutedFinalIsTheAnswer() async throws {
        let results = try await Harness.run([
            "print('FINAL(invented)')",
            "answer = 6 * 7\nFINAL_VAR('answer')",
            "FINAL_VAR('missing')",
            "FINAL('done: ' + str(answer))",
            "print('after')",
        ])
        #expect(results[0].final == nil)
        #expect(results[1].final == "42")
        #expect(results[2].final == nil)
        #expect(results[2].error?.contains("NameError: FINAL_VAR: no variable named 'missing'") == true)
        #expect(results[3].final == "done: 42")
        #expect(results[3].stdout == "")
        #expect(results[4].final == nil)
    }

    @Test func showVarsListsOnlyWhatTheModelDefined() async throws {
        let results = try await Harness.run(["a = 1\nb = 'xy'\ndef helper(): pass\nSHOW_VARS()"])
        let out = results[0].stdout
        #expect(out.contains("a: int"))
        #expect(out.contains("b: str, len 2"))
        #expect(out.contains("helper: function"))
        #expect(!out.contains("context"))
        #expect(!out.contains("llm_query"))
    }

    @Test func errorsAreShortAndPointAtCellLines() async throws {
        let results = try await Harness.run([
            "kept = 1",
            "x = 1\ny = undefined_name\n",
            "def f():\n    return 1 / 0\nf()",
            "if True\n    pass",
            "import no_such_module_xyz",
            "raise SystemExit(3)",
            "kept",
        ])
        let name = try #require(results[1].error)
        #expect(name.contains("line 2: y = undefined_name"))
        #expect(name.hasSuffix("NameError: name 'undefined_name' is not defined"))
        let division = try #require(results[2].error)
        #expect(division.contains("line 3: f()") && division.contains("line 2 in f: return 1 / 0"))
        #expect(division.contains("ZeroDivisionError"))
        #expect(!division.contains("repl_runtime"))
        #expect(results[3].error?.hasPrefix("SyntaxError: expected ':' (line 1)") == true)
        #expect(results[4].error?.contains("ModuleNotFoundError: No module named 'no_such_module_xyz'") == true)
        #expect(results[5].error?.contains("SystemExit: 3") == true)
        #expect(results[6].stdout == "1\n")
        #expect(results.allSatisfy { !$0.stateLost })
    }

    @Test func anotherCellCannotStartWhileOneRuns() async throws {
        let repl = Harness.repl()
        try await repl.start()
        async let slow = repl.execute("import time\ntime.sleep(0.5)")
        try await Task.sleep(for: .milliseconds(100))
        await #expect(throws: ReplError.self) { try await repl.execute("1") }
        #expect(try await slow.error == nil)
        await repl.close()
    }
}
