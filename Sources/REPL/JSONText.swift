import Foundation

/// JSON written by hand, for the REPL's init message: it lists every document of the context,
/// and Foundation's `JSONEncoder` took half a second for a session of 88,000 messages.
struct JSONText {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    mutating func raw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func int(_ value: Int) { bytes.append(contentsOf: String(value).utf8) }

    mutating func int(_ value: Int?) {
        if let value { int(value) } else { raw("null") }
    }

    mutating func bool(_ value: Bool) { value ? raw("true") : raw("false") }

    /// A string with `"`, `\` and control characters escaped; other chars go as UTF-8.
    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var plainStart = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainStart..<index]))
                plainStart = index + 1
                switch byte {
                case 0x22: raw("\\\"")
                case 0x5C: raw("\\\\")
                case 0x0A: raw("\\n")
                case 0x09: raw("\\t")
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    raw("\\u00")
                    bytes.append(hex[Int(byte >> 4)])
                    bytes.append(hex[Int(byte & 0xF)])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func string(_ value: String?) {
        if let value { string(value) } else { raw("null") }
    }

    /// `[a, b, ...]` with `element` writing each.
    mutating func array<S: Sequence>(_ elements: S, _ element: (inout JSONText, S.Element) -> Void) {
        raw("[")
        var first = true
        for item in elements {
            if !first { raw(",") }
            first = false
            element(&self, item)
        }
        raw("]")
    }
}

extension ReplMessage.Init {
    /// This message as one line of JSON, written by hand (see `JSONText`).
    var jsonLine: Data {
        var json = JSONText(capacity: 64 + records.count * 48 + docs.count * 96)
        json.raw(#"{"type":"init","records":"#)
        json.array(records) { json, record in json.array(record) { $0.int($1) } }
        json.raw(#","total_chars":"#)
        json.int(total_chars)
        json.raw(#","all_ascii":"#)
        json.bool(all_ascii)
        json.raw(#","docs":"#)
        json.array(docs) { json, doc in
            json.raw("[")
            json.string(doc.path); json.raw(",")
            json.int(doc.start); json.raw(",")
            json.int(doc.end); json.raw(",")
            json.int(doc.lines); json.raw(",")
            json.string(doc.kind); json.raw(",")
            json.string(doc.role); json.raw(",")
            json.string(doc.timestamp); json.raw(",")
            json.string(doc.session); json.raw(",")
            json.int(doc.index); json.raw(",")
            json.string(doc.tool)
            json.raw("]")
        }
        json.raw(#","limits":{"#)
        for (offset, (name, value)) in limits.sorted(by: { $0.key < $1.key }).enumerated() {
            if offset > 0 { json.raw(",") }
            json.string(name)
            json.raw(":")
            json.int(value)
        }
        json.raw(#"},"output_limit":"#)
        json.int(output_limit)
        json.raw(#","cwd":"#)
        json.string(cwd)
        json.raw("}\n")
        return Data(json.bytes)
    }
}
