import Foundation
import GRDB
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// What `rlmd index --session FILE --json` prints.
public struct SessionImportReport: Sendable, Codable, Equatable {
    public var session: String
    public var format: String
    public var path: String
    public var store: String
    /// `user` and `assistant` lines of the main transcript (plus Codex `message` items).
    public var messages: Int
    public var byRole: [String: Int]
    public var malformedLines: Int
    public var malformedExamples: [String]
    public var unknownTypes: [String: Int]
    public var subagents: Int
    /// Documents added by this run.
    public var added: Int
    /// Bytes at the end of a file that do not yet form a complete line (a session still being written).
    public var pendingBytes: Int
    public var bytes: Int
    public var tokens: Int
    public var seconds: Double
    /// Messages are not all in the full-text index yet: the first search (or `SearchCatchUp.run`) adds them.
    public var searchPending: Bool

    enum CodingKeys: String, CodingKey {
        case session, format, path, store, messages, subagents, added, bytes, tokens, seconds
        case byRole = "by_role", malformedLines = "malformed_lines", malformedExamples = "malformed_examples"
        case unknownTypes = "unknown_types", pendingBytes = "pending_bytes", searchPending = "search_pending"
    }
}

public enum SessionImportError: Error, CustomStringConvertible, Sendable {
    case notAFile(String)
    case binary(String)
    case unknownFormat(String)

    public var description: String {
        switch self {
        case .notAFile(let path): "not a readable file: \(path)"
        case .binary(let path): "\(path) is a binary file, not a session transcript"
        case .unknownFormat(let path): "cannot tell the session format of \(path); pass --format claude|codex|aider|generic"
        }
    }
}

/// Imports a session file (and, for Claude Code, its subagents' transcripts) into a store, one
/// document per message. Line-oriented files are imported incrementally: each run starts at the
/// byte after the last complete line it consumed, so a growing session costs only its new lines.
public enum SessionImporter {
    public static func refresh(file: String, format forced: SessionFormat? = nil, location: StoreLocation? = nil,
                               progress: (@Sendable (IndexProgress) -> Void)? = nil,
                               logger: Logger = Logger(label: "rlmd.sessions")) throws -> SessionImportReport {
        let started = Date()
        guard let stat = FileStat.of(path: file), stat.kind == .regular else { throw SessionImportError.notAFile(file) }
        guard let prefix = SessionSource.prefix(of: file) else { throw SessionImportError.notAFile(file) }
        if prefix.prefix(FileReader.binaryProbeBytes).contains(0) { throw SessionImportError.binary(file) }
        guard let format = forced ?? SessionFormat.detect(prefix: prefix) else { throw SessionImportError.unknownFormat(file) }
        let location = location ?? StoreLocation.forSession(file: file)
        try location.prepareDirectory()
        func elapsed() -> Logger.MetadataValue { "\(Int(Date().timeIntervalSince(started) * 1000))" }
        let lock = try StoreLock(path: location.lockPath)
        defer { withExtendedLifetime(lock) {} }
        let database = try StoreDatabase.openForWriting(location, logger: logger)
        var (meta, sources) = try database.read { db in (try StoreMeta.load(db), try SessionSource.loadAll(db)) }
        if let root = meta.root, root != file {
            throw StoreError.notWritable(path: location.directory, reason: "this store belongs to \(root)")
        }
        if IndexState(meta: meta, files: [:], skippedCache: [:]).contextFileDamage(location) != nil {
            logger.warning("context file damaged; re-importing \(file)")
            try database.write { db in
                try db.execute(sql: "DELETE FROM documents; DELETE FROM session_sources; DELETE FROM meta")
            }
            meta = StoreMeta()
            sources = [:]
            SearchShards.removeAll(location)
        }

        var paths = [file]
        if format == .claude { paths += SessionSource.claudeSubagents(of: file) }
        let mainSession = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        var added = 0
        var pending = 0
        var finalSources: [SessionSource] = []
        var committedMeta = meta
        let unchanged = paths.allSatisfy { path in sources[path].map { $0.isUnchanged } ?? false }
        if unchanged && meta.root != nil {
            finalSources = paths.compactMap { sources[$0] }
            pending = finalSources.reduce(0) { $0 + max(0, Int($1.size) - $1.consumedBytes) }
        } else {
            try database.write { db in
                let records = try RecordWriter(db: db, location: location, meta: meta, search: .deferred, logger: logger)
                let bulk = meta.documents == 0
                if bulk { try StoreSchema.dropSecondaryIndexes(db) }
                do {
                    for path in paths {
                        let label = path == file ? "main" : ((path as NSString).lastPathComponent as NSString).deletingPathExtension
                        var source = sources[path] ?? SessionSource(path: path, format: format, label: label)
                        if path != file { source.parentSession = sources[file]?.stats.sessionID ?? mainSession }
                        let result = try importSource(&source, db: db, records: records, progress: progress)
                        added += result.added
                        pending += result.pending
                        try source.save(db)
                        finalSources.append(source)
                    }
                    if bulk { try StoreSchema.createSecondaryIndexes(db) }
                    logger.debug("imported \(added) messages", metadata: ["ms": elapsed()])
                    committedMeta = try records.commit(root: file)
                } catch {
                    records.abandon()
                    throw error
                }
            }
        }
        progress?(IndexProgress(phase: .done, done: 0, total: 0, path: nil))
        logger.debug("transaction closed", metadata: ["ms": elapsed()])
        let main = finalSources[0]
        return SessionImportReport(
            session: main.stats.sessionID ?? mainSession, format: format.rawValue, path: file, store: location.directory,
            messages: main.stats.messages, byRole: main.stats.byRole, malformedLines: main.stats.malformedLines,
            malformedExamples: main.stats.malformedExamples, unknownTypes: main.stats.unknownTypes,
            subagents: finalSources.count - 1, added: added, pendingBytes: pending, bytes: committedMeta.contentBytes, tokens: committedMeta.tokens,
            seconds: Date().timeIntervalSince(started), searchPending: SearchCatchUp.isNeeded(committedMeta, location))
    }

    /// Imports what is new in one source file; returns documents added and bytes left pending.
    private static func importSource(_ source: inout SessionSource, db: Database, records: RecordWriter,
                                     progress: (@Sendable (IndexProgress) -> Void)?) throws -> (added: Int, pending: Int) {
        guard let stat = FileStat.of(path: source.path), stat.kind == .regular else { return (0, 0) }
        let rewritten = stat.inode != source.inode && source.inode != 0 || Int(stat.size) < source.consumedBytes
        let wholeFile = !source.format.isLineOriented || (source.format == .generic && !isJSONLines(source.path))
        let changed = stat.size != source.size || stat.mtimeNanoseconds != source.mtimeNanoseconds
        if rewritten || (wholeFile && changed) {
            try removeDocuments(of: source, db: db, records: records)
            source = SessionSource(path: source.path, format: source.format, label: source.label, parentSession: source.parentSession)
        } else if !changed && source.inode != 0 {
            return (0, Int(stat.size) - source.consumedBytes)
        }
        source.size = stat.size
        source.mtimeNanoseconds = stat.mtimeNanoseconds
        source.inode = stat.inode
        var added = 0
        if wholeFile {
            let data = try Data(contentsOf: URL(fileURLWithPath: source.path))
            for message in wholeFileMessages(data, format: source.format, stats: &source.stats) {
                try write(prepare(message, source: &source), records: records)
                added += 1
            }
            source.consumedBytes = data.count
            source.lines = 0
            return (added, 0)
        }
        let pending = try SessionLinePipeline.run(&source, progress: progress) { message in
            try write(message, records: records)
            added += 1
        }
        return (added, pending)
    }

    /// Numbers, labels and decodes a message of `source` for writing.
    static func prepare(_ message: SessionMessage, source: inout SessionSource) -> PreparedMessage {
        let index = source.nextIndex
        source.nextIndex += 1
        source.stats.saw(message, countsMessages: source.label == "main")
        let path = source.documentPath(index: index)
        let header = "[\(path) \(message.timestamp ?? "-") \(message.role)]\n"
        let session = source.label == "main" ? (source.stats.sessionID ?? "main") : source.label
        let text = TextDecoder.decode(valid: Array(message.text.utf8))
        var fields = MessageFields(session: session, parentSession: source.parentSession, index: index, message: message)
        fields.message.text = ""  // travels as `text`; not twice
        return PreparedMessage(path: path, kind: message.kind, header: header, text: text, fields: fields)
    }

    private static func write(_ message: PreparedMessage, records: RecordWriter) throws {
        try records.append(path: message.path, kind: message.kind, header: message.header, text: message.text,
                           file: nil, message: message.fields)
    }

    static func parseLine(_ line: UnsafeRawBufferPointer, number: Int, format: SessionFormat, stats: inout ImportStats) -> [SessionMessage] {
        var end = line.count
        while end > 0, line[end - 1] == 0x0D || line[end - 1] == 0x20 || line[end - 1] == 0x09 { end -= 1 }
        guard end > 0 else { return [] }
        let bytes = UnsafeRawBufferPointer(rebasing: line[0..<end])
        let raw = { String(decoding: bytes, as: UTF8.self) }
        do {
            let record = try JSONParser.parse(bytes, skipping: format.skippedKeys)
            return format.renderer.messages(from: record, raw: raw, line: number, stats: &stats)
        } catch {
            stats.malformed(line: number, error.description)
            return [SessionMessage(role: "other", kind: "record", text: raw(), sourceLine: number)]
        }
    }

    private static func wholeFileMessages(_ data: Data, format: SessionFormat, stats: inout ImportStats) -> [SessionMessage] {
        if format == .aider { return AiderParser.messages(String(decoding: data, as: UTF8.self), stats: &stats) }
        let value: JSONValue
        do {
            value = try data.withUnsafeBytes { try JSONParser.parse($0) }
        } catch {
            stats.malformed(line: 1, "\(error)")
            return [SessionMessage(role: "other", kind: "record", text: String(decoding: data, as: UTF8.self), sourceLine: 1)]
        }
        let entries = value["messages"]?.array ?? value.array ?? []
        return entries.enumerated().flatMap { offset, entry in
            GenericRenderer().messages(from: entry, raw: { entry.compactText }, line: offset + 1, stats: &stats)
        }
    }

    /// A generic file is JSON Lines when its first line alone is a complete JSON object.
    private static func isJSONLines(_ path: String) -> Bool {
        guard let prefix = SessionSource.prefix(of: path) else { return false }
        let firstLine = prefix.split(separator: 0x0A, maxSplits: 1).first.map(Array.init) ?? []
        return (try? firstLine.withUnsafeBytes { try JSONParser.parse($0) })?.isObject == true
    }

    private static func removeDocuments(of source: SessionSource, db: Database, records: RecordWriter) throws {
        let prefix = source.label == "main" ? "#" : "\(source.label)#"
        for record in try RecordLocation.fetchAll(db, where: "substr(path, 1, ?) = ?", arguments: [prefix.count, prefix]) {
            try records.remove(record)
        }
    }
}
