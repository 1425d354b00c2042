import ContextStore
import Foundation
import REPL
import TestSupport

/// Starts REPLs for tests; every one is closed by the test that made it.
enum Harness {
    static func repl(_ context: ReplContext = .text("hello\nworld\n"), timeout: Duration = .seconds(30),
                     configure: (inout ReplOptions) -> Void = { _ in },
                     subCalls: @escaping SubCallHandler = { _ in throw ReplError("no model in this test") }) -> ReplProcess {
        var options = ReplOptions()
        options.cellTimeout = timeout
        configure(&options)
        return ReplProcess(context: context, options: options, subCalls: subCalls)
    }

    /// Runs `cells` in one fresh REPL and closes it.
    static func run(_ cells: [String], context: ReplContext = .text("hello\nworld\n"),
                    configure: (inout ReplOptions) -> Void = { _ in },
                    subCalls: @escaping SubCallHandler = { _ in throw ReplError("no model in this test") }) async throws -> [CellResult] {
        let repl = repl(context, configure: configure, subCalls: subCalls)
        var results: [CellResult] = []
        for cell in cells { results.append(try await repl.execute(cell)) }
        await repl.close()
        return results
    }

    static var sandbox: Sandbox { Sandbox.verify() }
    static var hasNamespaces: Bool { sandbox.mode != .none }
    static var hasBubblewrap: Bool { sandbox.mode == .bubblewrap }
}
