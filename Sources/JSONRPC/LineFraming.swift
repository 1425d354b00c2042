import Foundation

/// MCP's stdio framing: one JSON message per line. Each byte is scanned once, however the line is
/// split across reads. A line over `maxLine` is not held: the parser drops its bytes up to the next
/// newline and then reports it, so the next line is read as usual.
public struct LineFrameParser: Sendable {
    /// The unfinished line: bytes after the last newline seen.
    private var partial = Data()
    /// Bytes of an over-long line dropped so far, while it lasts.
    private var skipping: Int?
    private let maxLine: Int

    public init(maxLine: Int = LSPFrameParser.defaultMaxBody) {
        self.maxLine = maxLine
    }

    public mutating func push(_ bytes: Data) -> [Frame] {
        var frames: [Frame] = []
        var start = bytes.startIndex
        while let newline = Self.newline(in: bytes, from: start) {
            let piece = bytes[start..<newline]
            start = newline + 1
            if let dropped = skipping {
                skipping = nil
                frames.append(Self.tooLong(dropped + piece.count, limit: maxLine))
            } else if partial.count + piece.count > maxLine {
                frames.append(Self.tooLong(partial.count + piece.count, limit: maxLine))
                partial = Data()
            } else if let frame = finish(piece) {
                frames.append(frame)
            }
        }
        let rest = bytes[start...]
        if let dropped = skipping {
            skipping = dropped + rest.count
        } else if partial.count + rest.count > maxLine {
            skipping = partial.count + rest.count
            partial = Data()
        } else {
            partial.append(rest)
        }
        return frames
    }

    /// The whole line `partial + piece`, without a final `\r`; nil for a blank line.
    private mutating func finish(_ piece: Data) -> Frame? {
        var line: Data
        if partial.isEmpty {
            line = Data(piece)
        } else {
            partial.append(piece)
            line = partial
            partial = Data()
        }
        if line.last == 13 { line.removeLast() }
        if line.allSatisfy({ $0 == 32 || $0 == 9 }) { return nil }
        return .message(line)
    }

    private static func newline(in bytes: Data, from start: Data.Index) -> Data.Index? {
        guard start < bytes.endIndex else { return nil }
        let offset: Int? = bytes[start...].withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Int? in
            guard let base = raw.baseAddress, let found = memchr(base, 10, raw.count) else { return nil }
            return UnsafeRawPointer(found) - base
        }
        return offset.map { start + $0 }
    }

    private static func tooLong(_ length: Int, limit: Int) -> Frame {
        .error("a line of \(length) bytes is over the limit of \(limit); skipped")
    }
}
