import Foundation

/// Opens a file in the system's browser with `xdg-open` (Linux and other freedesktop systems) or
/// `open` (macOS), whichever is on `PATH`; rlmd does not wait for the browser.
enum BrowserOpener {
    /// The opener that ran, or nil when there is none.
    static func open(_ path: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let folders = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for name in ["xdg-open", "open"] {
            guard let opener = folders.map({ "\($0)/\(name)" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { continue }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: opener)
            process.arguments = [path]
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { continue }
            return name
        }
        return nil
    }
}
