import ContextStore
import Daemon
import Foundation
import JSONRPC
import RLMProtocol
import Testing
import TestSupport

/// The daemon makes a non-ASCII snapshot's 2-byte copy after each build, so the first REPL maps it.
@Suite struct TwoByteCopyTests {
    @Test(arguments: [false, true])
    func theCopyIsMadeAfterTheBuildUnlessTextIsExact(exact: Bool) async throws {
        let fixture = try Fixture()
        try fixture.write("a.md", "emoji 😀 and → here\n")
        let environment = TestClient.environment(cache: fixture.root + "/..")
        let client = TestClient(environment: environment)
        let options = exact ? Initialize.Options(sandbox: SandboxOptions(exactText: true)) : nil
        _ = try await client.initialize(root: fixture.root, options: options).get()
        _ = try await client.call(IndexWorkspace.self)
        let directory = StoreLocation.forWorkspace(root: fixture.root, environment: environment).directory
        func copies() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter {
                $0.hasPrefix("context-bmp-") && !$0.contains(".tmp-")
            }
        }
        var found = copies()
        for _ in 0..<(exact ? 50 : 500) where found.isEmpty {  // with exact text: none after 0.5 s
            try await Task.sleep(for: .milliseconds(10))
            found = copies()
        }
        #expect(found.count == (exact ? 0 : 1), "\(found)")
        #expect(await client.exit() == 1)
    }
}
