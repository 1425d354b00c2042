import ContextStore
import Foundation

extension TrajectoryPage {
    /// Where a page is written when no file is named: `$XDG_CACHE_HOME/rlmd/trajectories/<id>.html`
    /// (default `~/.cache/rlmd/`), since a page can always be made again from the stored trajectory.
    public static func defaultPath(id: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let name = String(id.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }
            .map(Character.init).prefix(64))
        return StoreLocation.cacheRoot(environment: environment) + "/trajectories/\(name.isEmpty ? "trajectory" : name).html"
    }

    /// Writes the page to `path` (its folder created if needed), replacing the file in one step.
    public func write(to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        try Data(html().utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
