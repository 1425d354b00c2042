import Foundation
import GRDB

/// One file of a session (the main transcript or a subagent's) and how far it has been imported.
struct SessionSource: Sendable {
    var path: String
    var format: SessionFormat
    /// "main", or "agent-<id>" for a subagent transcript; prefixes its documents' paths.
    var label: String
    var session: String?
    var parentSession: String?
    /// Bytes consumed through the last complete line; the next import starts here.
    var consumedBytes = 0
    var size: Int64 = 0
    var mtimeNanoseconds: Int64 = 0
    var inode: UInt64 = 0
    var lines = 0
    var nextIndex = 1
    var stats = ImportStats()

    /// The file has the size, mtime and inode it had when last imported.
    var isUnchanged: Bool {
        guard let stat = FileStat.of(path: path) else { return false }
        return stat.size == size && stat.mtimeNanoseconds == mtimeNanoseconds && stat.inode == inode
    }

    static func documentPath(label: String, index: Int) -> String { label == "main" ? "#\(index)" : "\(label)#\(index)" }

    /// The prefixes of the paths of its documents: its label's, and those of the sub-agents written into it.
    var documentPrefixes: [String] {
        [label == "main" ? "#" : "\(label)#"] + stats.sidechains.labels.map { "\($0)#" }
    }

    static func loadAll(_ db: Database) throws -> [String: SessionSource] {
        var sources: [String: SessionSource] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT * FROM session_sources") {
            guard let format = SessionFormat(rawValue: row["format"]) else { continue }
            var source = SessionSource(path: row["path"], format: format, label: row["label"])
            source.session = row["session"]
            source.parentSession = row["parent_session"]
            source.consumedBytes = row["consumed_bytes"]
            source.size = row["size"]
            source.mtimeNanoseconds = row["mtime_ns"]
            source.inode = UInt64(bitPattern: row["inode"])
            source.lines = row["lines"]
            source.nextIndex = row["next_index"]
            if let stats = try? JSONDecoder().decode(ImportStats.self, from: Data((row["stats"] as String).utf8)) {
                source.stats = stats
            } else {
                source.stats.version = 0  // written by a version that counted other things: import it again
            }
            sources[source.path] = source
        }
        return sources
    }

    func save(_ db: Database) throws {
        let stats = String(decoding: try JSONEncoder().encode(self.stats), as: UTF8.self)
        try db.execute(sql: """
            INSERT OR REPLACE INTO session_sources (path, format, label, session, parent_session, consumed_bytes, size,
                mtime_ns, inode, lines, next_index, stats) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [path, format.rawValue, label, session, parentSession, consumedBytes, size,
                             mtimeNanoseconds, Int64(bitPattern: inode), lines, nextIndex, stats])
    }

    /// Claude Code subagent transcripts of the session in `main`: `<session>/subagents/agent-*.jsonl`,
    /// and (older versions) `agent-*.jsonl` beside it whose records name the session.
    static func claudeSubagents(of main: String) -> [String] {
        let folder = (main as NSString).deletingLastPathComponent
        let session = ((main as NSString).lastPathComponent as NSString).deletingPathExtension
        var found: [String] = []
        let nested = "\(folder)/\(session)/subagents"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: nested)) ?? []
        where name.hasPrefix("agent-") && name.hasSuffix(".jsonl") {
            found.append("\(nested)/\(name)")
        }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        where name.hasPrefix("agent-") && name.hasSuffix(".jsonl") {
            let path = "\(folder)/\(name)"
            if firstRecord(of: path)?["sessionId"]?.string == session { found.append(path) }
        }
        return found.sorted()
    }

    /// The first line of a JSONL file that parses as an object, within its first lines.
    static func firstRecord(of path: String) -> RecordJSON? {
        guard let prefix = SessionPrefix(path: path, lines: 20) else { return nil }
        var records = prefix.records.makeIterator()
        return records.next()
    }
}
