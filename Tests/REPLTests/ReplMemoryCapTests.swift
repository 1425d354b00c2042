import Foundation
@testable import REPL
import Testing

@Suite struct ReplMemoryCapTests {
    /// Each child stays under any one process's limit; together they pass the tree's cap.
    @Test func childrenHoldingMoreThanTheCapTogetherAreKilledAndTheNextCellStartsAfresh() async throws {
        let cell = """
            import os, time
            for _ in range(3):
                if os.fork() == 0:
                    held = b'x' * (120 << 20)
                    time.sleep(60)
                    os._exit(0)
            time.sleep(30)
            """
        let repl = Harness.repl { $0.limits.treeMemoryBytes = 256 << 20 }
        #expect(try await repl.execute("kept = 1").error == nil)
        let result = try await repl.execute(cell)
        #expect(result.stateLost)
        #expect(result.error?.hasPrefix("MemoryError: the cell's processes held ") == true, "\(result.error ?? "no error")")
        #expect(result.error?.contains("over the sandbox's cap of 256 MiB") == true)
        #expect(result.durationMs < 25_000)
        let next = try await repl.execute("'kept' in globals()")
        #expect(next.stdout == "False\n")
        await repl.close()
    }

    @Test func aCellUnderTheCapKeepsItsState() async throws {
        let repl = Harness.repl { $0.limits.treeMemoryBytes = 512 << 20 }
        let results = [try await repl.execute("held = b'x' * (64 << 20)\nlen(held)"), try await repl.execute("len(held)")]
        await repl.close()
        #expect(results.map(\.stdout) == ["67108864\n", "67108864\n"])
        #expect(results.allSatisfy { !$0.stateLost })
    }

    @Test func theDefaultCapGrowsWithTheContext() {
        let limits = ReplLimits()
        #expect(limits.treeMemoryCap(contextBytes: 0) == 2 << 30)
        #expect(limits.treeMemoryCap(contextBytes: 100 << 20) == (2 << 30) + (300 << 20))
        var off = ReplLimits()
        off.treeMemoryBytes = 0
        #expect(off.treeMemoryCap(contextBytes: 1 << 30) == nil)
    }

    @Test func theTreeHoldsTheProcessItselfAndItsChildren() throws {
        let members = ProcessTree.members(root: getpid())
        #expect(members.first?.pid == getpid())
        #expect(members.first.map { $0.residentPages > 0 } == true)
        #expect(ProcessTree.members(root: 999_999_999).isEmpty)
    }
}
