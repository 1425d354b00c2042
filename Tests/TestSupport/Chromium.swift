import ContextStore
import Foundation
import RLMSupport

/// Headless Chromium (Debian's `chromium`; `make test` installs it when missing) for tests of the
/// pages rlmd writes: the DOM after the page's script ran, and screenshots.
public enum Chromium {
    public static let path: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let folders = path.split(separator: ":").map(String.init) + ["/usr/bin", "/snap/bin"]
        for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
            if let found = folders.map({ "\($0)/\(name)" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
                return found
            }
        }
        return nil
    }()

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The serialized DOM of `file` (with `#fragment`, if given) once it has loaded and its script ran.
    public static func dumpDOM(_ file: String, fragment: String? = nil, dark: Bool = false) async throws -> String {
        let url = URL(fileURLWithPath: file).absoluteString + (fragment.map { "#" + $0 } ?? "")
        return try await run(["--dump-dom", url], dark: dark).stdout
    }

    /// A PNG of the page's first `width`×`height` pixels.
    public static func screenshot(_ file: String, to png: String, width: Int = 1100, height: Int = 1500, dark: Bool = false) async throws {
        let url = URL(fileURLWithPath: file).absoluteString
        let result = try await run(["--screenshot=\(png)", "--window-size=\(width),\(height)", url], dark: dark)
        guard FileManager.default.fileExists(atPath: png) else {
            throw Failure(description: "chromium wrote no screenshot: \(result.stderr.suffix(2000))")
        }
    }

    /// Colours and coverage of a PNG (Tests/TestSupport/png_stats.py, standard-library Python).
    public struct ImageStats: Decodable {
        public var width: Int
        public var height: Int
        public var colours: Int
        public var background: [Int]
        public var covered: Double
    }

    public static func stats(ofPNG png: String) async throws -> ImageStats {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("png_stats.py").path
        let result = try await OffPool.run { try capture(ScriptedServer.python ?? "/usr/bin/python3", [script, png], timeout: 120) }
        guard result.status == 0 else { throw Failure(description: "png_stats.py failed: \(result.stderr)") }
        return try JSONDecoder().decode(ImageStats.self, from: Data(result.stdout.utf8))
    }

    private static func run(_ arguments: [String], dark: Bool) async throws -> (stdout: String, stderr: String) {
        guard let path else { throw Failure(description: "chromium is not installed") }
        let profile = FileManager.default.temporaryDirectory.path + "/rlmd-chromium-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: profile) }
        // --no-sandbox: Chromium's own sandbox refuses to run as root, as the tests do here.
        var flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                     "--disable-extensions", "--hide-scrollbars", "--user-data-dir=\(profile)", "--virtual-time-budget=4000"]
        if dark { flags += ["--force-dark-mode", "--blink-settings=preferredColorScheme=0"] }
        let command = flags + arguments
        let result = try await OffPool.run { try capture(path, command, timeout: 120) }
        guard result.status == 0 else { throw Failure(description: "chromium exited \(result.status): \(result.stderr.suffix(2000))") }
        return (result.stdout, result.stderr)
    }

    private static func capture(_ executable: String, _ arguments: [String], timeout: Double) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let pid = process.processIdentifier
        let killer = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer)
        let errors = Drain(err.fileHandleForReading)
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errorText = errors.wait()
        process.waitUntilExit()
        killer.cancel()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), errorText)
    }
}

/// Reads a pipe to its end on another thread, so neither of a child's pipes can fill up.
private final class Drain: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        // A thread, not DispatchQueue.global(): on Linux that is the pool Swift concurrency runs on.
        Thread {
            self.data = handle.readDataToEndOfFile()
            self.done.signal()
        }.start()
    }

    func wait() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}
