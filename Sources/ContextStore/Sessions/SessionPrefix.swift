import Foundation

/// The start of a session file: what format detection, the binary check and discovery read. It is
/// read 64 KiB at a time until it holds the lines asked for, the whole file, or 1 MiB (a first
/// record can be longer than 64 KiB: a pasted prompt, Codex's instructions).
struct SessionPrefix {
    static let stepBytes = 1 << 16
    static let maxBytes = 1 << 20

    /// The bytes read, as in the file.
    let bytes: [UInt8]
    /// `bytes` is the whole file, so an unterminated last line is complete.
    let isWholeFile: Bool
    /// The lines that say anything, without a byte-order mark, line ending (`\n` or `\r\n`) or
    /// surrounding whitespace; the last one only when it is complete.
    let lines: [ArraySlice<UInt8>]

    init(bytes: [UInt8], isWholeFile: Bool) {
        self.bytes = bytes
        self.isWholeFile = isWholeFile
        var body = bytes[...]
        if body.starts(with: Self.byteOrderMark) { body = body.dropFirst(3) }
        var pieces = body.split(separator: 0x0A, omittingEmptySubsequences: false)
        if !isWholeFile { pieces.removeLast() }  // cut by the read, not by the writer
        lines = pieces.map(Self.trimmed).filter { !$0.isEmpty }
    }

    init?(path: String, lines wanted: Int, maxBytes: Int = SessionPrefix.maxBytes) {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var bytes: [UInt8] = []
        var newlines = 0
        while bytes.count < maxBytes && newlines < wanted {
            guard let chunk = try? handle.read(upToCount: min(Self.stepBytes, maxBytes - bytes.count)), !chunk.isEmpty else {
                self.init(bytes: bytes, isWholeFile: true)
                return
            }
            newlines += chunk.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            bytes.append(contentsOf: chunk)
        }
        self.init(bytes: bytes, isWholeFile: false)
    }

    /// The file holds nothing but whitespace (and perhaps a byte-order mark).
    var isBlank: Bool { isWholeFile && lines.isEmpty }

    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    static func trimmed(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }
        guard let first = line.firstIndex(where: { !isSpace($0) }), let last = line.lastIndex(where: { !isSpace($0) }) else { return [] }
        return line[first...last]
    }

    /// The lines that parse as JSON objects, in order, parsed as they are asked for.
    var records: some Sequence<RecordJSON> {
        lines.lazy.compactMap { line in
            guard line.first == UInt8(ascii: "{") else { return nil }
            return (try? line.withUnsafeBytes { try JSONParser.parse($0) }).flatMap { $0.isObject ? $0 : nil }
        }
    }
}
