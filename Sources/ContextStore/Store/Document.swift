/// One document of a context: where its record sits in the context file and in the
/// logical context string, and what the indexer learned about it.
///
/// A record is the header line `==> path <==\n`, the content, and a `\n` when the content
/// does not end with one. Offsets name the content; `recordOffset`/`recordChars` the record.
public struct Document: Sendable, Equatable, Codable {
    public var id: Int64
    public var path: String
    public var kind: String
    public var recordOffset: Int
    public var recordBytes: Int
    public var byteOffset: Int
    public var byteLength: Int
    public var recordChars: Int
    public var charOffset: Int
    public var charLength: Int
    public var lineCount: Int
    public var sha256: String
    public var mtimeNanoseconds: Int64
    public var size: Int64
    public var language: String?
    public var tokens: Int
    public var invalidUTF8: Int
    /// Chars of the record's header line, including its `\n`.
    public var headerChars: Int
    /// For session documents: the transcript, message number, role and time.
    public var session: String?
    public var messageIndex: Int?
    public var role: String?
    public var timestamp: String?
    public var toolName: String?

    /// Char offset of the record (its header line) in the logical context.
    public var recordCharOffset: Int { charOffset - headerChars }
    /// Content plus separator: where the next record starts, in chars.
    public var charEnd: Int { recordCharOffset + recordChars }
    public var isASCII: Bool { recordChars == recordBytes }

    /// The header line of a file record.
    public static func header(path: String) -> String { "==> \(path) <==\n" }

    /// Rough tokens of English and code for common BPE tokenizers.
    public static func estimateTokens(bytes: Int) -> Int { (bytes + 3) / 4 }
}
