import Foundation

/// A session file found for a workspace, summarised for `rlmd sessions` (whose `--json` prints the
/// CLI's `SessionsCommand.Entry`).
public struct DiscoveredSession: Sendable, Equatable {
    public var tool: String
    public var id: String
    public var path: String
    public var firstTimestamp: String?
    public var lastTimestamp: String?
    public var messages: Int
    public var bytes: Int64
    /// The tool's title (a Claude Code `summary` record), else the first line of the person's first message.
    public var title: String?
    public var modified: Double
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

    /// The session of `tool` ("claude" or "codex") for the workspace whose last message is the
    /// newest (a file's mtime when it has no timestamps): the first `all` lists.
    public static func latest(tool: String, workspace: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let format: SessionFormat = tool == "codex" ? .codex : .claude
        let paths = format == .codex ? codexSessions(workspace: workspace, environment: environment)
                                     : claudeSessions(workspace: workspace, environment: environment)
        return paths.map { ($0, lastActivity(of: $0, format: format)) }.max { $0.1 < $1.1 }?.0
    }

    public static func all(workspace: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> [DiscoveredSession] {
        let groups: [(String, SessionFormat, [String])] = [
            ("claude", .claude, claudeSessions(workspace: workspace, environment: environment)),
            ("codex", .codex, codexSessions(workspace: workspace, environment: environment)),
            ("aider", .aider, aiderSessions(workspace: workspace)),
        ]
        return groups.flatMap { tool, format, paths in paths.map { summarize(path: $0, tool: tool, format: format) } }
            .map { ($0, $0.lastTimestamp.flatMap(SessionTimestamp.seconds) ?? $0.modified) }
            .sorted { $0.1 > $1.1 }
            .map(\.0)
    }

    static func modified(_ path: String) -> Double {
        Double(FileStat.of(path: path)?.mtimeNanoseconds ?? 0) / 1e9
    }

    /// When the session's last message was written, read from the end of the file; its mtime when
    /// no message there has a timestamp (copied files share an mtime, so it is only the fallback).
    static func lastActivity(of path: String, format: SessionFormat) -> Double {
        guard let handle = FileHandle(forReadingAtPath: path), let size = try? handle.seekToEnd() else { return modified(path) }
        defer { try? handle.close() }
        for tailBytes in [UInt64(1 << 16), UInt64(1 << 20)] {
            let start = size > tailBytes ? size - tailBytes : 0
            guard (try? handle.seek(toOffset: start)) != nil, let data = try? handle.readToEnd() else { break }
            var lines = data.split(separator: 0x0A, omittingEmptySubsequences: false)
            if start > 0 { lines.removeFirst() }  // begins inside a line
            var stats = ImportStats()
            for line in lines.reversed() {
                let messages = Array(line).withUnsafeBytes { SessionImporter.parseLine($0, number: 0, format: format, stats: &stats) }
                if let seconds = messages.last(where: { $0.timestamp != nil })?.timestamp.flatMap(SessionTimestamp.seconds) {
                    return seconds
                }
            }
            if start == 0 { break }
        }
        return modified(path)
    }

    /// Reads the whole file once, rendering nothing: counts and timestamps only.
    static func summarize(path: String, tool: String, format: SessionFormat) -> DiscoveredSession {
        var stats = ImportStats()
        if format == .aider {
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            for message in AiderParser.messages(text, stats: &stats) { stats.saw(message, counts: true) }
        } else {
            var number = 0
            _ = try? LineReader.forEachLine(path: path, from: 0, isComplete: SessionImporter.isWholeRecord) { line, _ in
                number += 1
                for message in SessionImporter.parseLine(line, number: number, format: format, stats: &stats) {
                    stats.saw(message, counts: true)
                }
            }
        }
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return DiscoveredSession(
            tool: tool, id: stats.sessionID ?? stem, path: path, firstTimestamp: stats.firstTimestamp,
            lastTimestamp: stats.lastTimestamp, messages: stats.messages, bytes: FileStat.of(path: path)?.size ?? 0,
            title: stats.title ?? stats.firstUserLine, modified: modified(path))
    }
}
