import ContextStore
import Foundation
import RLMSupport

/// The real interpreter behind `python3` (pyenv and venvs put scripts and symlinks in front of
/// it) and the folders the sandbox must expose read-only for it to start.
struct PythonInstallation: Sendable, Equatable, Codable {
    var executable: String
    var version: String
    /// `sys.base_prefix` and `sys.prefix`.
    var prefixes: [String]

    private static let cache = Locked<[String: PythonInstallation]>([:])

    /// Looked up once per process and name, and remembered on disk (`python.json` in the cache
    /// root) while the interpreter found on PATH is unchanged: asking python about itself costs
    /// 20 ms directly and over 100 ms through pyenv's shell shims, at every REPL start.
    static func find(_ requested: String?, environment: [String: String]) throws -> PythonInstallation {
        let name = requested ?? environment["RLMD_PYTHON"].flatMap { $0.isEmpty ? nil : $0 } ?? "python3"
        if let known = cache.withLock({ $0[name] }) { return known }
        guard let path = name.contains("/") ? name : ProcessRunner.which(name, environment: environment) else {
            throw ReplError("no \(name) found on PATH: install python3 (apt-get install python3) or set RLMD_PYTHON")
        }
        let stamp = Self.stamp(path, environment: environment)
        let diskCache = DiskCache(path: StoreLocation.cacheRoot(environment: environment) + "/python.json")
        if let remembered = diskCache.entry(for: path), remembered.stamp == stamp,
           FileManager.default.isExecutableFile(atPath: remembered.python.executable) {
            cache.withLock { $0[name] = remembered.python }
            return remembered.python
        }
        let found = try probe(path, environment: environment)
        cache.withLock { $0[name] = found }
        diskCache.store(DiskCache.Entry(stamp: stamp, python: found), for: path)
        return found
    }

    /// What decides which interpreter `path` starts: the file itself, and for pyenv's shims the
    /// version it is told to use.
    private static func stamp(_ path: String, environment: [String: String]) -> String {
        func fileStamp(_ file: String) -> String {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: file) else { return "-" }
            let date = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return "\(date):\(attributes[.size] as? Int ?? 0)"
        }
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let pyenvVersion = ((path as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent + "/version"
        return [fileStamp(resolved), environment["PYENV_VERSION"] ?? "", fileStamp(pyenvVersion)].joined(separator: "|")
    }

    private struct DiskCache {
        struct Entry: Codable {
            var stamp: String
            var python: PythonInstallation
        }

        let path: String

        func entry(for key: String) -> Entry? {
            guard let data = FileManager.default.contents(atPath: path) else { return nil }
            return (try? JSONDecoder().decode([String: Entry].self, from: data))?[key]
        }

        /// Best effort: a cache that cannot be written only costs the next start a probe.
        func store(_ entry: Entry, for key: String) {
            var all = FileManager.default.contents(atPath: path).flatMap { try? JSONDecoder().decode([String: Entry].self, from: $0) } ?? [:]
            all[key] = entry
            guard let data = try? JSONEncoder().encode(all) else { return }
            try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let temporary = path + ".\(getpid()).tmp"
            guard FileManager.default.createFile(atPath: temporary, contents: data) else { return }
            _ = rename(temporary, path)
        }
    }

    private static func probe(_ path: String, environment: [String: String]) throws -> PythonInstallation {
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
