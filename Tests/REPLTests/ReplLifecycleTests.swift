import Foundation
@testable import REPL
import Testing

/// The moves of `ReplProcess.State` that no cell test makes: callers racing a start, a close during one.
@Suite struct ReplLifecycleTests {
    @Test func aCloseDuringTheStartEndsItAndTheNextCellStartsAnew() async throws {
        let repl = Harness.repl()
        let start = Task { try await repl.start() }
        try await waitUntilStarting(repl)
        await repl.close()
        await #expect(throws: ReplError.self) { try await start.value }
        #expect(await repl.processID() == nil)
        #expect(try await repl.execute("print(1)").stdout == "1\n")
        await repl.close()
    }

    @Test func ofTwoCellsAskedForDuringOneStartTheSecondIsRefused() async throws {
        let repl = Harness.repl()
        async let first = Result { try await repl.execute("import time; time.sleep(0.3)") }
        async let second = Result { try await repl.execute("import time; time.sleep(0.3)") }
        let results = await [first, second]
        let refused = results.compactMap { result -> String? in
            if case .failure(let error) = result { "\(error)" } else { nil }
        }
        #expect(refused == ["another cell is running in this REPL"])
        await repl.close()
    }

    private func waitUntilStarting(_ repl: ReplProcess) async throws {
        for _ in 0..<1000 {
            if case .starting = await repl.state { return }
            try await Task.sleep(for: .milliseconds(1))
        }
        Issue.record("the REPL never began to start")
    }
}

private extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
