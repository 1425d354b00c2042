import ContextStore
import Foundation
import RLMSupport
#if canImport(Glibc)
import Glibc
#endif

/// The runtime script (`Resources/repl_runtime.py`) as each REPL runs it: compiled once per
/// interpreter and script version into the cache root, because compiling its source took 6 ms of
/// every start. Python runs a `.pyc` given as the script like the source.
enum RuntimeScript {
    /// Cache files this process has tried to compile, so a failure is not retried at every start.
    private static let compiled = Locked<Set<String>>([])

    /// `repl_runtime.py` in the REPL's resource bundle.
    static var sourceURL: URL? { Bundle.module.url(forResource: "repl_runtime", withExtension: "py") }

    /// Puts the runtime into `scratch` and returns its file name there: `rlmd_runtime.pyc`, or the
    /// source, `rlmd_runtime.py`, when no compiled form can be made here.
    static func install(into scratch: String, python: PythonInstallation, environment: [String: String]) throws -> String {
        guard let url = sourceURL, let source = FileManager.default.contents(atPath: url.path)
        else { throw ReplError("the REPL runtime (repl_runtime.py) is missing beside rlmd") }
        if let code = compiledCode(source: source, sourcePath: url.path, python: python, environment: environment),
           FileManager.default.createFile(atPath: "\(scratch)/rlmd_runtime.pyc", contents: code) {
            return "rlmd_runtime.pyc"
        }
        guard FileManager.default.createFile(atPath: "\(scratch)/rlmd_runtime.py", contents: source) else {
            throw ReplError("cannot write the REPL runtime into \(scratch)")
        }
        return "rlmd_runtime.py"
    }

    /// The cached `.pyc` for this source and interpreter, made on first use; nil when python
    /// cannot compile it or the cache cannot be written (then tried once per process only).
    private static func compiledCode(source: Data, sourcePath: String, python: PythonInstallation,
                                     environment: [String: String]) -> Data? {
        let key = String(fingerprint(source + Data("\(python.executable)\n\(python.version)".utf8)), radix: 16)
        let path = StoreLocation.cacheRoot(environment: environment) + "/repl-runtime-\(key).pyc"
        if let code = FileManager.default.contents(atPath: path) { return code }
        guard compiled.withLock({ $0.insert(path).inserted }) else { return nil }
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let temporary = path + ".\(getpid()).tmp"
        let compile = "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)"
        let result = Probe.run([python.executable, "-I", "-S", "-c", compile, sourcePath, temporary], environment: environment)
        guard result.status == 0, rename(temporary, path) == 0 else {
            unlink(temporary)
            return nil
        }
        return FileManager.default.contents(atPath: path)
    }

    /// FNV-1a, 64 bits: a stable name for a cache file (Swift's `Hasher` is seeded per process).
    private static func fingerprint(_ data: Data) -> UInt64 {
        data.reduce(0xcbf2_9ce4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }
}
