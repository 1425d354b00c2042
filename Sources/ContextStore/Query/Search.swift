import Foundation
import GRDB

/// Read connections to a snapshot's search shards, opened on first use and kept for later queries.
/// When the snapshot's rows are not all searchable yet, the first use catches the shards up.
final class SearchShardReaders: @unchecked Sendable {  // `opened`, `needsCatchUp` only under `lock`
    private let location: StoreLocation
    private let lock = NSLock()
    private var opened: [DatabaseQueue]?
    private var needsCatchUp: Bool

    init(location: StoreLocation, needsCatchUp: Bool) {
        self.location = location
        self.needsCatchUp = needsCatchUp
    }

    func queues() throws(StoreError) -> [DatabaseQueue] {
        lock.lock()
        defer { lock.unlock() }
        if let opened { return opened }
        if needsCatchUp {
            try SearchCatchUp.run(location)
            needsCatchUp = false
        }
        var queues: [DatabaseQueue] = []
        for shard in 0..<SearchShards.count {
            let path = SearchShards.path(location, shard: shard)
            guard FileManager.default.fileExists(atPath: path) else { continue }
            do {
                queues.append(try DatabaseQueue(path: path, configuration: StoreDatabase.configuration(readOnly: true)))
            } catch {
                throw .damaged(path: path, reason: StoreDatabase.describe(error))
            }
        }
        opened = queues
        return queues
    }
}

/// Encodable because the REPL's `search()` reply carries hits as they are (`repl_runtime.py` reads
/// path, line, score and snippet); `rlmd search --json` prints its own `SearchCommand.Hit`.
public struct SearchHit: Sendable, Encodable, Equatable {
    public var path: String
    /// The line that best shows why the document matched (most query terms).
    public var line: Int
    /// bm25 relevance; higher is better.
    public var score: Double
    public var snippet: String
}

extension ContextSnapshot {
    /// Documents ranked by FTS5 bm25 over path (weighted 5x) and content, merged across shards.
    ///
    /// The query's words are searched as quoted terms joined by OR (identifiers such as
    /// `retry_count` become phrases), so any text is a valid query; with `raw` the query is
    /// FTS5 syntax (`AND`, `NEAR`, `"phrases"`, `prefix*`).
    public func search(_ query: String, limit: Int = 20, raw: Bool = false) throws(StoreError) -> [SearchHit] {
        let terms = Self.searchTerms(query)
        let match = raw ? query : terms.map { "\"\($0)\"" }.joined(separator: " OR ")
        guard !match.isEmpty, limit > 0 else { return [] }
        var ranked: [(Int64, Double)] = []
        for queue in try searchShards.queues() {
            do {
                ranked += try queue.read { db in
                    try Row.fetchAll(db, sql: """
                        SELECT rowid, bm25(fts, 5.0, 1.0) AS rank FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT ?
                        """, arguments: [match, limit]).map { ($0[0], $0[1]) }
                }
            } catch let error as DatabaseError where error.resultCode == .SQLITE_ERROR {
                throw .invalidPattern("search query \(query): \(StoreDatabase.describe(error))")
            } catch {
                throw .damaged(path: location.directory, reason: "search index: \(StoreDatabase.describe(error))")
            }
        }
        // Each shard ranks with its own statistics; documents are spread evenly, so scores compare.
        ranked.sort { $0.1 < $1.1 }
        ranked = Array(ranked.prefix(limit))
        let lowered = (raw ? Self.searchTerms(query) : terms).map { Array($0.lowercased().utf8) }
        return ranked.compactMap { id, rank in
            // A refresh committed after this snapshot was taken may rank documents it does not have.
            guard let document = document(id: id) else { return nil }
            let (line, text) = bestLine(document, terms: lowered)
            return SearchHit(path: document.path, line: line, score: -rank, snippet: text)
        }
    }

    static func searchTerms(_ query: String) -> [String] {
        var terms: [String] = []
        var current = ""
        for scalar in query.unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "_" {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                terms.append(current)
                current = ""
            }
        }
        if !current.isEmpty { terms.append(current) }
        let reserved: Set<String> = ["AND", "OR", "NOT", "NEAR"]
        return terms.filter { !reserved.contains($0) }
    }

    /// The first line with the most distinct query terms (ASCII case-insensitive), trimmed to 200 chars.
    private func bestLine(_ document: Document, terms: [[UInt8]]) -> (Int, String) {
        let content = content(of: document)
        var best = (line: 1, start: 0, end: 0, hits: -1)
        var line = 1
        var start = 0
        while start <= content.count {
            var end = start
            while end < content.count && content[end] != 0x0A { end += 1 }
            let hits = terms.reduce(0) { $0 + (Self.containsIgnoringCase(content, start, end, $1) ? 1 : 0) }
            if hits > best.hits { best = (line, start, end, hits) }
            if end >= content.count { break }
            start = end + 1
            line += 1
        }
        let text = String(decoding: content[best.start..<best.end], as: UTF8.self).trimmingCharacters(in: .whitespaces)
        return (best.line, text.count > 200 ? String(text.prefix(200)) + "…" : text)
    }

    private static func containsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, end - start >= needle.count else { return false }
        @inline(__always) func lower(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b + 32 : b }
        let first = needle[0]
        var i = start
        while i + needle.count <= end {
            if lower(bytes[i]) == first {
                var j = 1
                while j < needle.count && lower(bytes[i + j]) == needle[j] { j += 1 }
                if j == needle.count { return true }
            }
            i += 1
        }
        return false
    }
}
