import ContextStore
import Foundation
import RLMSupport

extension ReplMessage.Init {
    /// This message as one line of JSON, written by hand (see `JSONText`).
    var jsonLine: Data {
        var json = JSONText(capacity: 64 + records.count * 48 + docs.count * 96)
        json.raw(#"{"type":"#)
        json.string(type.rawValue)
        json.raw(#","records":"#)
        json.array(records) { json, record in json.array(record) { $0.int($1) } }
        json.raw(#","total_chars":"#)
        json.int(total_chars)
        json.raw(#","all_ascii":"#)
        json.bool(all_ascii)
        json.raw(#","exact":"#)
        json.bool(exact)
        json.raw(#","copy":"#)
        json.bool(copy)
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
