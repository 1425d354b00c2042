import Foundation
import ContextStore
import RLMSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Starts `scripted_lm_server.py` with a script of replies and stops it when released.
public final class ScriptedServer {
    let process = Process()
    public let port: Int
    let directory: String
    public var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    static var python: String? {
        for candidate in ["/usr/bin/python3", "/usr/local/bin/python3"] where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Async so that waiting for the server to start never holds a thread of the concurrency pool:
    /// dozens of tests start servers at once, and blocking there stalled every other test.
    public init(_ steps: [[String: Any]]) async throws {
        directory = FileManager.default.temporaryDirectory.path + "/rlmd-lm-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let scriptPath = directory + "/script.json"
        try JSONSerialization.data(withJSONObject: steps).write(to: URL(fileURLWithPath: scriptPath))
        let server = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("scripted_lm_server.py").path
        process.executableURL = URL(fileURLWithPath: Self.python ?? "/usr/bin/python3")
        process.arguments = [server, scriptPath]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let reading = output.fileHandleForReading
        let line = await OffPool.run {
            var line = Data()
            while !line.contains(0x0A) {
                let chunk = reading.availableData
                if chunk.isEmpty { break }
                line.append(chunk)
            }
            return line
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw NSError(domain: "ScriptedServer", code: 1, userInfo: [NSLocalizedDescriptionKey: "server did not start"])
        }
        self.port = port
    }

    deinit {
        // Not waitUntilExit(): it spins a run loop, which can hang on a Swift concurrency thread.
        kill(process.processIdentifier, SIGKILL)
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The requests the server saw, in order.
    public func requests() async throws -> [[String: Any]] {
        let (data, _) = try await URLSession.shared.data(from: baseURL.appendingPathComponent("_log"))
        return try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
    }
}
