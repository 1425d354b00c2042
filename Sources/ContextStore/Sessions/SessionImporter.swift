import Foundation
import GRDB
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// What one session import did (the CLI's `IndexOutput.Session` is what `rlmd index --session FILE --json` prints).
public struct SessionImportReport: Sendable, Equatable {
    public var session: String
    public var format: String
    public var path: String
    public var store: String
    /// Messages of the main transcript: `messageCounts.total`, the same in every format.
    public var messages: Int
    /// What `messages` counts: user, assistant (text, thinking, reasoning), tool calls, tool results.
    public var messageCounts: MessageCounts
    public var byRole: [String: Int]
    public var malformedLines: Int
    public var malformedExamples: [String]
    public var unknownTypes: [String: Int]
    /// Records left out because they repeat another word for word (Codex's `event_msg` copies).
    public var duplicates: Int
    /// Sub-agent transcripts: files beside the session, and conversations written into it.
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
    /// `format` forces a format; `expected` is the one to take when the content cannot tell (an
    /// empty file, say): `--claude latest` expects Claude Code. A blank file is otherwise generic.
    public static func refresh(file: String, format forced: SessionFormat? = nil, expected: SessionFormat? = nil,
                               location: StoreLocation? = nil, progress: (@Sendable (IndexProgress) -> Void)? = nil,
                               logger: Logger = Logger(label: "rlmd.sessions")) throws -> SessionImportReport {
        let started = Date()
        guard let stat = FileStat.of(path: file), stat.kind == .regular else { throw SessionImportError.notAFile(file) }
        guard let prefix = SessionPrefix(path: file, lines: 64) else { throw SessionImportError.notAFile(file) }
        if prefix.bytes.prefix(FileReader.binaryProbeBytes).contains(0) { throw SessionImportError.binary(file) }
        guard let format = forced ?? SessionFormat.detect(prefix) ?? expected ?? (prefix.isBlank ? .generic : nil) else {
            throw SessionImportError.unknownFormat(file)
        }
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
        // A source imported as another format, or by a version that rendered records otherwise, starts again.
        let stale = paths.compactMap { sources[$0] }.filter { $0.format != format || $0.stats.version != ImportStats.currentVersion }
        for source in stale { sources[source.path] = nil }
        let unchanged = stale.isEmpty && paths.allSatisfy { path in sources[path].map { $0.isUnchanged } ?? false }
        if unchanged && meta.root != nil {
            finalSources = paths.compactMap { sources[$0] }
            pending = finalSources.reduce(0) { $0 + max(0, Int($1.size) - $1.consumedBytes) }
        } else {
            try database.write { db in
                let records = try RecordWriter(db: db, location: location, meta: meta, search: .deferred, logger: logger)
                let bulk = meta.documents == 0
                if bulk { try StoreSchema.dropSecondaryIndexes(db) }
                do {
                    for source in stale { try removeDocuments(of: source, db: db, records: records) }
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
            messages: main.stats.messages, messageCounts: main.stats.messageCounts, byRole: main.stats.byRole,
            malformedLines: main.stats.malformedLines, malformedExamples: main.stats.malformedExamples,
            unknownTypes: main.stats.unknownTypes, duplicates: main.stats.duplicates,
            subagents: finalSources.count - 1 + main.stats.sidechains.labels.count, added: added, pendingBytes: pending,
            bytes: committedMeta.contentBytes, tokens: committedMeta.tokens, seconds: Date().timeIntervalSince(started), searchPending: SearchCatchUp.isNeeded(committedMeta, location))
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

    /// Numbers, labels and decodes a message of `source` for writing. A sub-agent's message in the
    /// main transcript goes to its agent (`agent-<id>#<n>`), as if it had come from the agent's file.
    static func prepare(_ message: SessionMessage, source: inout SessionSource) -> PreparedMessage {
        let label: String
        let index: Int
        var parentSession = source.parentSession
        if message.sidechain && source.label == "main" {
            (label, index) = source.stats.sidechains.place(message)
            parentSession = source.stats.sessionID ?? "main"
        } else {
            (label, index) = (source.label, source.nextIndex)
            source.nextIndex += 1
        }
        source.stats.saw(message, counts: source.label == "main")
        let path = SessionSource.documentPath(label: label, index: index)
        let header = "[\(path) \(message.timestamp ?? "-") \(message.role)]\n"
        let session = label == "main" ? (source.stats.sessionID ?? "main") : label
        let text = TextDecoder.decode(valid: Array(message.text.utf8))
        var fields = MessageFields(session: session, parentSession: parentSession, index: index, message: message)
        fields.message.text = ""  // travels as `text`; not twice
        return PreparedMessage(path: path, kind: message.kind, header: header, text: text, fields: fields)
    }

    private static func write(_ message: PreparedMessage, records: RecordWriter) throws {
        try records.append(path: message.path, kind: message.kind, header: message.header, text: message.text,
                           file: nil, message: message.fields)
    }

    static func parseLine(_ line: UnsafeRawBufferPointer, number: Int, format: SessionFormat, stats: inout ImportStats) -> [SessionMessage] {
        let bytes = trimmed(line)
        guard !bytes.isEmpty else { return [] }
        let raw = { String(decoding: bytes, as: UTF8.self) }
        do {
            let record = try JSONParser.parse(bytes, skipping: format.skippedKeys)
            return format.renderer.messages(from: record, raw: raw, line: number, stats: &stats)
        } catch {
            stats.malformed(line: number, error.description)
            return [SessionMessage(role: "other", kind: "record", text: raw(), sourceLine: number)]
        }
    }

    /// A line without its line ending, trailing blanks, or a byte-order mark (a file saved on Windows).
    private static func trimmed(_ line: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var end = line.count
        while end > 0, line[end - 1] == 0x0D || line[end - 1] == 0x20 || line[end - 1] == 0x09 { end -= 1 }
        let start = end >= 3 && line[0] == 0xEF && line[1] == 0xBB && line[2] == 0xBF ? 3 : 0
        return UnsafeRawBufferPointer(rebasing: line[start..<end])
    }

    /// Whether an unterminated last line is a whole record (the writer ended the file without a
    /// newline), to import now rather than wait for; blank ones are taken too.
    static func isWholeRecord(_ line: UnsafeRawBufferPointer) -> Bool {
        let bytes = trimmed(line)
        return bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D } || (try? JSONParser.parse(bytes)) != nil
    }

    private static func wholeFileMessages(_ data: Data, format: SessionFormat, stats: inout ImportStats) -> [SessionMessage] {
        let data = data.starts(with: SessionPrefix.byteOrderMark) ? data.dropFirst(3) : data
        if format == .aider { return AiderParser.messages(String(decoding: data, as: UTF8.self), stats: &stats) }
        let value: RecordJSON
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

    /// A generic file is JSON Lines unless it starts as a JSON document spread over lines: its first
    /// line opens a value that line does not complete (and, for `{`, neither does the next line:
    /// a bad first record followed by good ones is JSON Lines).
    private static func isJSONLines(_ path: String) -> Bool {
        guard let lines = SessionPrefix(path: path, lines: 2)?.lines, let first = lines.first else { return true }
        func isObject(_ line: ArraySlice<UInt8>) -> Bool { (try? line.withUnsafeBytes { try JSONParser.parse($0) })?.isObject == true }
        switch first.first {
        case UInt8(ascii: "{"): return isObject(first) || (lines.count > 1 && isObject(lines[1]))
        case UInt8(ascii: "["): return false
        default: return true
        }
    }

    private static func removeDocuments(of source: SessionSource, db: Database, records: RecordWriter) throws {
        for prefix in source.documentPrefixes {
            for record in try RecordLocation.fetchAll(db, where: "substr(path, 1, ?) = ?", arguments: [prefix.count, prefix]) {
                try records.remove(record)
            }
        }
    }
}
