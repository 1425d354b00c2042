import Foundation
@testable import REPL
import Testing
import TestSupport

@Suite struct RuntimeScriptTests {
    @Test func theRuntimeIsCompiledOnceIntoTheCacheAndFallsBackToItsSource() throws {
        let environment = ProcessInfo.processInfo.environment
        let python = try PythonInstallation.find(nil, environment: environment)
        let cache = try Fixture()
        var cached = environment
        cached["XDG_CACHE_HOME"] = cache.root
        let scratch = try Fixture()

        #expect(try RuntimeScript.install(into: scratch.root, python: python, environment: cached) == "rlmd_runtime.pyc")
        let compiled = try FileManager.default.contentsOfDirectory(atPath: cache.root + "/rlmd").filter { $0.hasSuffix(".pyc") }
        #expect(compiled.count == 1)
        let cachePath = cache.root + "/rlmd/" + compiled[0]
        let made = try FileManager.default.attributesOfItem(atPath: cachePath)[.modificationDate] as? Date
        // What this interpreter expects at the head of a .pyc.
        let magic = try Fixture.run(python.executable, ["-I", "-c", "import importlib.util; print(importlib.util.MAGIC_NUMBER.hex())"])
        let head = try #require(FileManager.default.contents(atPath: scratch.root + "/rlmd_runtime.pyc")).prefix(4)
        #expect(head.map { String(format: "%02x", $0) }.joined() == magic.trimmingCharacters(in: .whitespacesAndNewlines))

        // A second start uses the cached file as it is.
        let again = try Fixture()
        #expect(try RuntimeScript.install(into: again.root, python: python, environment: cached) == "rlmd_runtime.pyc")
        #expect(try FileManager.default.attributesOfItem(atPath: cachePath)[.modificationDate] as? Date == made)

        // No writable cache: the source is run instead.
        var unwritable = environment
        unwritable["XDG_CACHE_HOME"] = cache.root + "/rlmd/" + compiled[0]  // a file, not a folder
        let plain = try Fixture()
        #expect(try RuntimeScript.install(into: plain.root, python: python, environment: unwritable) == "rlmd_runtime.py")
        #expect(FileManager.default.fileExists(atPath: plain.root + "/rlmd_runtime.py"))
    }
}
