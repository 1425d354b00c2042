import Foundation

/// A session file found for a workspace, summarised for `rlmd sessions`.
public struct DiscoveredSession: Sendable, Codable, Equatable {
    public var tool: String
    public var id: String
    public var path: String
    public var firstTimestamp: String?
    public var lastTimestamp: String?
    public var messages: Int
    public var bytes: Int64
    public var title: String?
    public var modified: Double

    enum CodingKeys: String, CodingKey {
        case tool, id, path, messages, bytes, title, modified
        case firstTimestamp = "first_timestamp", lastTimestamp = "last_timestamp"
    }
}

/// Finds the Claude Code, Codex and Aider sessions that belong to a workspace.
public enum SessionDiscovery {
    public static func claudeHome(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        environment["CLAUDE_CONFIG_DIR"] ?? "\(environment["HOME"] ?? NSHomeDirectory())/.claude"
    }

    public static func codexHome(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        environment["CODEX_HOME"] ?? "\(environment["HOME"] ?? NSHomeDirectory())/.codex"
    }

    /// Claude Code's project folders for `workspace`: the path with `/` (and, in newer versions,
    /// every other character that is not a letter or digit) replaced by `-`.
    static func claudeProjectFolders(workspace: String, environment: [String: String]) -> [String] {
        let slashes = workspace.replacingOccurrences(of: "/", with: "-")
        let punctuation = String(workspace.map { $0.isLetter || $0.isNumber ? $0 : "-" })
        let base = "\(claudeHome(environment))/projects"
        return Array(Set([slashes, punctuation])).sorted().map { "\(base)/\($0)" }
    }

    public static func claudeSessions(workspace: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        claudeProjectFolders(workspace: workspace, environment: environment).flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
                .filter { $0.hasSuffix(".jsonl") && !$0.hasPrefix("agent-") }
                .map { "\(folder)/\($0)" }
        }
    }

    public static func codexSessions(workspace: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        let root = "\(codexHome(environment))/sessions"
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        var found: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            guard name.hasPrefix("rollout-"), name.hasSuffix(".jsonl") else { continue }
            let path = "\(root)/\(relative)"
            if SessionSource.firstRecord(of: path)?["payload"]?["cwd"]?.string == workspace { found.append(path) }
        }
        return found
    }

    public static func aiderSessions(workspace: String) -> [String] {
        let path = "\(workspace)/.aider.chat.history.md"
        return FileManager.default.fileExists(atPath: path) ? [path] : []
    }

    /// The most recently modified session of `tool` ("claude" or "codex") for the workspace.
    public static func latest(tool: String, workspace: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let paths = tool == "codex" ? codexSessions(workspace: workspace, environment: environment)
                                    : claudeSessions(workspace: workspace, environment: environment)
        return paths.max { modified($0) < modified($1) }
    }

    public static func all(workspace: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> [DiscoveredSession] {
        let groups: [(String, SessionFormat, [String])] = [
            ("claude", .claude, claudeSessions(workspace: workspace, environment: environment)),
            ("codex", .codex, codexSessions(workspace: workspace, environment: environment)),
            ("aider", .aider, aiderSessions(workspace: workspace)),
        ]
        return groups.flatMap { tool, format, paths in paths.map { summarize(path: $0, tool: tool, format: format) } }
            .sorted { $0.modified > $1.modified }
    }

    static func modified(_ path: String) -> Double {
        Double(FileStat.of(path: path)?.mtimeNanoseconds ?? 0) / 1e9
    }

    /// Reads the whole file once, rendering nothing: counts and timestamps only.
    static func summarize(path: String, tool: String, format: SessionFormat) -> DiscoveredSession {
        var stats = ImportStats()
        if format == .aider {
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            for message in AiderParser.messages(text, stats: &stats) { stats.saw(message, countsMessages: true) }
        } else {
            var number = 0
            _ = try? LineReader.forEachLine(path: path, from: 0) { line, _ in
                number += 1
                for message in SessionImporter.parseLine(line, number: number, format: format, stats: &stats) {
                    stats.saw(message, countsMessages: true)
                }
            }
        }
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return DiscoveredSession(
            tool: tool, id: stats.sessionID ?? stem, path: path, firstTimestamp: stats.firstTimestamp,
            lastTimestamp: stats.lastTimestamp, messages: stats.messages, bytes: FileStat.of(path: path)?.size ?? 0,
            title: stats.title, modified: modified(path))
    }
}
