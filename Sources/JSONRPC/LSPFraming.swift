import Foundation

/// What a framing parser hands on: one message body, or an error about the bytes it skipped.
public enum Frame: Sendable, Equatable {
    case message(Data)
    case error(String)
}

/// LSP base-protocol framing as a state machine: `Content-Length: N\r\n` (other headers
/// tolerated) `\r\n`, then N bytes of body. Bytes may arrive split or joined anyhow. A bad header
/// yields an error frame and the parser looks for the next header; a body over `maxBody` is
/// skipped without being held in memory.
public struct LSPFrameParser: Sendable {
    public static let defaultMaxBody = 64 << 20
    /// A header block this long without its blank line is not a header.
    static let maxHeader = 16 << 10

    private enum State {
        case header
        case body(remaining: Int)
        case skip(remaining: Int)
    }

    private var state = State.header
    private var buffer = Data()
    private let maxBody: Int

    public init(maxBody: Int = LSPFrameParser.defaultMaxBody) {
        self.maxBody = maxBody
    }

    public mutating func push(_ bytes: Data) -> [Frame] {
        buffer.append(bytes)
        var frames: [Frame] = []
        while let frame = next() { frames.append(frame) }
        return frames
    }

    private mutating func next() -> Frame? {
        switch state {
        case .skip(let remaining):
            let dropped = min(remaining, buffer.count)
            buffer.removeFirst(dropped)
            state = remaining == dropped ? .header : .skip(remaining: remaining - dropped)
            return remaining == dropped ? next() : nil
        case .body(let remaining):
            guard buffer.count >= remaining else { return nil }
            let body = Data(buffer.prefix(remaining))
            buffer.removeFirst(remaining)
            state = .header
            return .message(body)
        case .header:
            guard let end = buffer.range(of: Data("\r\n\r\n".utf8)) else {
                guard buffer.count > Self.maxHeader else { return nil }
                let dropped = buffer.count
                resynchronize(after: 1)
                return .error("\(dropped - buffer.count) bytes without a header end (\\r\\n\\r\\n) were skipped")
            }
            // Junk before a header (a body whose header was bad, noise): skip to the header.
            let marker = Data("content-length".utf8)
            let lowered = Data(buffer[buffer.startIndex..<end.lowerBound].map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 })
            if let found = lowered.range(of: marker), found.lowerBound > lowered.startIndex,
               !lowered[lowered.startIndex..<found.lowerBound].allSatisfy({ $0 == 13 || $0 == 10 }),
               lowered[lowered.index(before: found.lowerBound)] != 10 {
                let junk = found.lowerBound - lowered.startIndex
                buffer.removeFirst(junk)
                return .error("\(junk) bytes before a header were skipped")
            }
            let header = String(decoding: buffer[buffer.startIndex..<end.lowerBound], as: UTF8.self)
            buffer.removeSubrange(buffer.startIndex..<end.upperBound)
            switch Self.contentLength(header) {
            case .failure(let failure):
                return .error(failure.message)
            case .success(let length) where length > maxBody:
                state = .skip(remaining: length)
                return .error("a message of \(length) bytes is over the limit of \(maxBody); skipped")
            case .success(let length):
                state = .body(remaining: length)
                return next()
            }
        }
    }

    /// Drops bytes up to the next `Content-Length` header at or after `offset`.
    private mutating func resynchronize(after offset: Int) {
        let marker = Data("Content-Length".utf8)
        let start = buffer.index(buffer.startIndex, offsetBy: min(offset, buffer.count))
        if let found = buffer.range(of: marker, in: start..<buffer.endIndex) {
            buffer.removeSubrange(buffer.startIndex..<found.lowerBound)
        } else {
            buffer.removeAll(keepingCapacity: true)
        }
    }

    static func contentLength(_ header: String) -> Result<Int, FramingFailure> {
        var length: Int?
        for line in header.split(whereSeparator: { $0 == "\r\n" || $0 == "\n" }) {
            guard let colon = line.firstIndex(of: ":") else { return .failure(FramingFailure("a header line without a colon: \(line.prefix(80))")) }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if name == "content-length" {
                guard let number = Int(value), number >= 0 else { return .failure(FramingFailure("Content-Length is not a length: \(value.prefix(40))")) }
                length = number
            }
        }
        guard let length else { return .failure(FramingFailure("a header without Content-Length")) }
        return .success(length)
    }
}

public struct FramingFailure: Error, Sendable {
    public var message: String
    init(_ message: String) { self.message = message }
}

public enum Framing: Sendable {
    case lsp
    case lines

    /// The bytes that carry `body` under this framing.
    public func frame(_ body: Data) -> Data {
        switch self {
        case .lsp:
            var data = Data("Content-Length: \(body.count)\r\n\r\n".utf8)
            data.append(body)
            return data
        case .lines:
            var data = body
            data.append(10)
            return data
        }
    }
}
