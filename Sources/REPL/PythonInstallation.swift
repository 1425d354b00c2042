import Foundation

/// The real interpreter behind `python3` (pyenv and venvs put scripts and symlinks in front of
/// it) and the folders the sandbox must expose read-only for it to start.
struct PythonInstallation: Sendable, Equatable {
    var executable: String
    var version: String
    /// `sys.base_prefix` and `sys.prefix`.
    var prefixes: [String]

    private static let cache = Cache()

    /// Looked up once per process and name: a REPL restart should not pay for probing python again.
    static func find(_ requested: String?, environment: [String: String]) throws -> PythonInstallation {
        let key = requested ?? environment["RLMD_PYTHON"] ?? ""
        if let known = cache.get(key) { return known }
        let found = try probe(requested, environment: environment)
        cache.set(key, found)
        return found
    }

    private final class Cache: @unchecked Sendable {
        private let lock = NSLock()
        private var found: [String: PythonInstallation] = [:]

        func get(_ key: String) -> PythonInstallation? { lock.withLock { found[key] } }
        func set(_ key: String, _ value: PythonInstallation) { lock.withLock { found[key] = value } }
    }

    private static func probe(_ requested: String?, environment: [String: String]) throws -> PythonInstallation {
        let name = requested ?? environment["RLMD_PYTHON"].flatMap { $0.isEmpty ? nil : $0 } ?? "python3"
        guard let path = name.contains("/") ? name : Probe.which(name, environment: environment) else {
            throw ReplError("no \(name) found on PATH: install python3 (apt-get install python3) or set RLMD_PYTHON")
        }
        let script = "import sys; print(sys.executable); print(sys.version.split()[0]); print(sys.base_prefix); print(sys.prefix)"
        let result = Probe.run([path, "-I", "-c", script], environment: environment)
        let lines = result.output.split(separator: "\n").map(String.init)
        guard result.status == 0, lines.count == 4 else {
            throw ReplError("\(path) did not start (exit \(result.status)): \(result.output.prefix(300))")
        }
        let executable = URL(fileURLWithPath: lines[0]).resolvingSymlinksInPath().path
        return PythonInstallation(executable: executable, version: lines[1], prefixes: Array(Set([lines[2], lines[3]])).sorted())
    }
}
