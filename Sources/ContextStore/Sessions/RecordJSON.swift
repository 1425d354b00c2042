import RLMSupport

/// A parsed JSON value of a session record (RLMProtocol's `JSONValue` is the wire's). Objects keep
/// their members in order as a small array: session records have a dozen keys, where a linear scan
/// beats hashing every key into a dictionary.
enum RecordJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([RecordJSON])
    case object([(String, RecordJSON)])

    public static func == (lhs: RecordJSON, rhs: RecordJSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    public subscript(key: String) -> RecordJSON? {
        guard case .object(let members) = self else { return nil }
        for (name, value) in members where name == key { return value }
        return nil
    }

    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var int: Int? {
        if case .number(let value) = self, value.isFinite, value.rounded() == value, abs(value) < 9e15 { return Int(value) }
        return nil
    }

    public var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var array: [RecordJSON]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var isObject: Bool {
        if case .object = self { return true }
        return false
    }

    /// Compact JSON text, for rendering tool inputs.
    public var compactText: String {
        var json = JSONText(capacity: 64)
        write(to: &json)
        return String(decoding: json.bytes, as: UTF8.self)
    }

    private func write(to json: inout JSONText) {
        switch self {
        case .null: json.raw("null")
        case .bool(let value): json.bool(value)
        case .number(let value): json.literal(int.map(String.init) ?? String(value))
        case .string(let value): json.string(value)
        case .array(let values): json.array(values) { json, value in value.write(to: &json) }
        case .object(let members):
            json.raw("{")
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { json.raw(",") }
                json.string(key)
                json.raw(":")
                value.write(to: &json)
            }
            json.raw("}")
        }
    }
}
