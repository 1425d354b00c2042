import ContextStore
import Foundation

/// The text a REPL's `context` variable holds, and the documents `docs` describes.
public enum ReplContext: Sendable {
    /// An indexed workspace or session; the REPL reads the snapshot's context file.
    case store(ContextSnapshot)
    /// Plain text (a child RLM's piece of context), one document named `name`.
    case text(String, name: String = "context")

    /// The init message's context part: byte ranges of the file in context order, and documents.
    struct Layout {
        /// `[fileOffset, bytes, charOffset, chars]`, adjacent records merged.
        var records: [[Int]]
        var totalChars: Int
        var allASCII: Bool
        var docs: [DocRow]

        /// Whether a store's REPL maps a `ContextCopy`: not for an empty context, nor for the exact
        /// text of a non-ASCII one, which is built from the records.
        func usesCopy(exactText: Bool) -> Bool { totalChars > 0 && (!exactText || allASCII) }
    }

    struct DocRow: Encodable {
        var path: String, start: Int, end: Int, lines: Int, kind: String
        var role: String?, timestamp: String?, session: String?, index: Int?, tool: String?

        func encode(to encoder: Encoder) throws {
            var row = encoder.unkeyedContainer()
            try row.encode(path); try row.encode(start); try row.encode(end); try row.encode(lines); try row.encode(kind)
            try row.encode(role); try row.encode(timestamp); try row.encode(session); try row.encode(index); try row.encode(tool)
        }
    }

    func layout() -> Layout {
        switch self {
        case .store(let snapshot):
            var records: [[Int]] = []
            var allASCII = true
            var docs: [DocRow] = []
            docs.reserveCapacity(snapshot.documents.count)
            for document in snapshot.documents {
                allASCII = allASCII && document.isASCII
                if var last = records.last, last[0] + last[1] == document.recordOffset, last[2] + last[3] == document.recordCharOffset {
                    last[1] += document.recordBytes
                    last[3] += document.recordChars
                    records[records.count - 1] = last
                } else {
                    records.append([document.recordOffset, document.recordBytes, document.recordCharOffset, document.recordChars])
                }
                docs.append(DocRow(path: document.path, start: document.charOffset, end: document.charOffset + document.charLength,
                                   lines: document.lineCount, kind: document.kind, role: document.role,
                                   timestamp: document.timestamp, session: document.session, index: document.messageIndex,
                                   tool: document.toolName))
            }
            return Layout(records: records, totalChars: snapshot.totalChars, allASCII: allASCII, docs: docs)
        case .text(let text, let name):
            let bytes = text.utf8.count, chars = text.unicodeScalars.count
            let lines = text.utf8.reduce(0) { $0 + ($1 == 10 ? 1 : 0) } + (text.utf8.last.map { $0 == 10 ? 0 : 1 } ?? 0)
            return Layout(records: bytes == 0 ? [] : [[0, bytes, 0, chars]], totalChars: chars, allASCII: bytes == chars,
                          docs: [DocRow(path: name, start: 0, end: chars, lines: lines, kind: "text")])
        }
    }

    public var snapshot: ContextSnapshot? {
        if case .store(let snapshot) = self { return snapshot }
        return nil
    }
}
