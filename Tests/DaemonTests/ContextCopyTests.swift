import ContextStore
import Daemon
import Foundation
import JSONRPC
import RLMProtocol
import Testing
import TestSupport

/// The daemon makes a snapshot's context copy once its builds are quiet (2 s), so the first REPL maps
/// it; with exact text a non-ASCII snapshot is built from its records and gets none.
@Suite struct ContextCopyTests {
    @Test(arguments: [("emoji 😀 and → here\n", false, ".u16"), ("emoji 😀 and → here\n", true, nil), ("plain\n", true, ".u8")])
    func theCopyIsMadeAfterTheBuild(text: String, exact: Bool, suffix: String?) async throws {
        let fixture = try Fixture()
        try fixture.write("a.md", text)
        let environment = TestClient.environment(cache: fixture.root + "/..")
        let client = TestClient(environment: environment)
        let options = exact ? Initialize.Options(sandbox: SandboxOptions(exactText: true)) : nil
        _ = try await client.initialize(root: fixture.root, options: options).get()
        _ = try await client.call(IndexWorkspace.self)
        let directory = StoreLocation.forWorkspace(root: fixture.root, environment: environment).directory
        func copies() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter {
                $0.hasPrefix("context-copy-") && !$0.contains(".tmp-")
            }
        }
        var found = copies()
        for _ in 0..<(suffix == nil ? 300 : 1000) where found.isEmpty {  // none: none after 3 s, past the quiet period
            try await Task.sleep(for: .milliseconds(10))
            found = copies()
        }
        #expect(found.count == (suffix == nil ? 0 : 1) && found.allSatisfy { $0.hasSuffix(suffix ?? "") }, "\(found)")
        #expect(await client.exit() == 1)
    }
}
