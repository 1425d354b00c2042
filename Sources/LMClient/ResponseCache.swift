import Foundation
import GRDB
import RLMSupport

/// Replies to deterministic calls (temperature 0), reused when the same request comes again.
public protocol ResponseCache: Sendable {
    func lookup(_ key: CacheKey) -> Completion?
    func store(_ key: CacheKey, _ completion: Completion)
}

/// A request in canonical form (provider, endpoint, model, messages, parameters) and its hash.
public struct CacheKey: Sendable, Equatable {
    public let text: String
    public let hash: Int64

    /// Only calls at temperature 0 are deterministic enough to cache.
    public init?(provider: String, baseURL: URL, request: CompletionRequest) {
        guard request.temperature == 0 else { return nil }
        let object: [String: Any] = [
            "provider": provider, "base": baseURL.absoluteString, "model": request.model,
            "messages": request.messages.map { [$0.role.rawValue, $0.content] }, "max_tokens": request.maxTokens ?? -1,
            "stop": request.stop,
        ]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return nil }
        text = String(decoding: data, as: UTF8.self)
        // FNV-1a: the index column; the full text is compared on lookup, so a collision costs a miss.
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            value ^= UInt64(byte)
            value = value &* 0x100_0000_01b3
        }
        hash = Int64(bitPattern: value)
    }
}

/// The response cache as an SQLite file (`responses.sqlite` in a store's folder).
///
/// The file is opened at the first lookup: most requests (any temperature but 0) never use the
/// cache, and every `rlmd ask` would otherwise open it and write its schema before the first call.
public final class SQLiteResponseCache: ResponseCache, Sendable {
    private let path: String
    private let opened = Locked<DatabaseQueue?>(nil)

    public init(path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        self.path = path
    }

    private var database: DatabaseQueue {
        get throws {
            try opened.withLock { opened in
                if let opened { return opened }
                let database = try Self.open(path)
                opened = database
                return database
            }
        }
    }

    private static func open(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        let database = try DatabaseQueue(path: path, configuration: configuration)
        try database.write { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS responses (
                    hash INTEGER NOT NULL, request TEXT NOT NULL, text TEXT NOT NULL, model TEXT NOT NULL,
                    input INTEGER NOT NULL, output INTEGER NOT NULL, cached_input INTEGER NOT NULL,
                    cache_write INTEGER NOT NULL, finish_reason TEXT, created_at REAL NOT NULL,
                    hits INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX IF NOT EXISTS responses_by_hash ON responses(hash);
                """)
        }
        return database
    }

    public func lookup(_ key: CacheKey) -> Completion? {
        try? database.write { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT rowid, text, model, input, output, cached_input, cache_write, finish_reason FROM responses
                WHERE hash = ? AND request = ? LIMIT 1
                """, arguments: [key.hash, key.text]) else { return nil }
            try db.execute(sql: "UPDATE responses SET hits = hits + 1 WHERE rowid = ?", arguments: [row[0] as Int64])
            return Completion(text: row[1], model: row[2],
                              usage: Usage(input: row[3], output: row[4], cachedInput: row[5], cacheWrite: row[6]),
                              finishReason: row[7], costUSD: 0, attempts: 0, fromCache: true)
        }
    }

    public func store(_ key: CacheKey, _ completion: Completion) {
        try? database.write { db in
            try db.execute(sql: """
                INSERT INTO responses (hash, request, text, model, input, output, cached_input, cache_write, finish_reason, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [key.hash, key.text, completion.text, completion.model, completion.usage.input,
                                 completion.usage.output, completion.usage.cachedInput, completion.usage.cacheWrite,
                                 completion.finishReason, Date().timeIntervalSince1970])
        }
    }

    /// Lookups answered from the cache so far.
    public func totalHits() -> Int {
        (try? database.read { try Int.fetchOne($0, sql: "SELECT coalesce(sum(hits), 0) FROM responses") }) ?? 0
    }
}
