import Foundation

/// One server-sent event: its `event:` name (nil when absent) and its joined `data:` lines.
public struct ServerSentEvent: Sendable, Equatable {
    public var event: String?
    public var data: String
}

/// Incremental `text/event-stream` parser: feed bytes as they arrive, split anywhere.
public struct ServerSentEventParser: Sendable {
    private var buffer: [UInt8] = []
    private var event: String?
    private var data: [String] = []

    public init() {}

    /// The events completed by `bytes`.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [ServerSentEvent] {
        buffer.append(contentsOf: bytes)
        var events: [ServerSentEvent] = []
        var start = 0
        while let newline = buffer[start...].firstIndex(of: 0x0A) {
            var end = newline
            if end > start && buffer[end - 1] == 0x0D { end -= 1 }
            let line = String(decoding: buffer[start..<end], as: UTF8.self)
            start = newline + 1
            if line.isEmpty {
                if !data.isEmpty || event != nil { events.append(ServerSentEvent(event: event, data: data.joined(separator: "\n"))) }
                event = nil
                data = []
            } else if line.hasPrefix(":") {
                continue  // a comment, e.g. a keep-alive
            } else {
                let (field, value) = Self.split(line)
                switch field {
                case "event": event = value
                case "data": data.append(value)
                default: break
                }
            }
        }
        buffer.removeFirst(start)
        return events
    }

    private static func split(_ line: String) -> (String, String) {
        guard let colon = line.firstIndex(of: ":") else { return (line, "") }
        var value = line[line.index(after: colon)...]
        if value.first == " " { value = value.dropFirst() }
        return (String(line[..<colon]), String(value))
    }
}
