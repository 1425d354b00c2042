import Foundation
import RLMProtocol
import Testing

/// protocol/ is the spec: every method documented, with a schema and a recorded example, and the
/// Swift wire types must agree with both.
@Suite struct ProtocolSpecTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("protocol")

    typealias Decoder = @Sendable (JSONValue) throws -> Any

    /// How each method's params and result decode into the Swift types.
    static let types: [String: (params: Decoder?, result: Decoder?)] = [
        Initialize.method: ({ try $0.decode(Initialize.Params.self) }, { try $0.decode(Initialize.Result.self) }),
        Shutdown.method: (nil, { try $0.decode(Shutdown.Result.self) }),
        Ask.method: ({ try $0.decode(Ask.Params.self) }, { try $0.decode(Ask.Result.self) }),
        FollowUp.method: ({ try $0.decode(FollowUp.Params.self) }, { try $0.decode(FollowUp.Result.self) }),
        SummarizeSession.method: ({ try $0.decode(SummarizeSession.Params.self) }, { try $0.decode(SummarizeSession.Result.self) }),
        IndexWorkspace.method: (nil, { try $0.decode(IndexWorkspace.Result.self) }),
        Status.method: (nil, { try $0.decode(Status.Result.self) }),
        TrajectoryRequest.method: ({ try $0.decode(TrajectoryRequest.Params.self) }, { try $0.decode(TrajectoryRequest.Result.self) }),
        Sessions.method: (nil, { try $0.decode(Sessions.Result.self) }),
        ExecuteCommand.method: ({ try $0.decode(ExecuteCommand.Params.self) }, nil),
        WorkDoneProgressCreate.method: ({ try $0.decode(WorkDoneProgressCreate.Params.self) }, { try $0.decode(WorkDoneProgressCreate.Result.self) }),
        CancelRequest.method: ({ try $0.decode(CancelRequest.Params.self) }, nil),
        Progress.method: ({ try $0.decode(Progress.Params.self) }, nil),
        WorkDoneProgressCancel.method: ({ try $0.decode(WorkDoneProgressCancel.Params.self) }, nil),
        ShowDocument.method: ({ try $0.decode(ShowDocument.Params.self) }, { try $0.decode(ShowDocument.Result.self) }),
        ShowMessage.method: ({ try $0.decode(ShowMessage.Params.self) }, nil),
        Initialized.method: (nil, nil), Exit.method: (nil, nil),
        DidChangeWatchedFiles.method: (nil, nil), DidSave.method: (nil, nil),
    ]

    static func load(_ path: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: folder.appendingPathComponent(path)))
    }

    static func file(_ method: String) -> String { method.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "$", with: "") }

    @Test func everyMethodIsDocumentedWithASchemaAndAnExample() throws {
        let readme = try String(contentsOf: Self.folder.appendingPathComponent("README.md"), encoding: .utf8)
        for method in ProtocolMethods.requests + ProtocolMethods.notifications {
            #expect(readme.contains("### `\(method)`"), "README lacks \(method)")
            #expect(Self.types[method] != nil, "no decoder registered for \(method)")
            _ = try Self.load("schema/\(Self.file(method)).params.json")
            if ProtocolMethods.requests.contains(method) { _ = try Self.load("schema/\(Self.file(method)).result.json") }
            let example = try Self.load("examples/\(Self.file(method)).json")
            #expect(example["message"]?["method"] == .string(method))
        }
    }

    @Test(arguments: ProtocolMethods.requests + ProtocolMethods.notifications)
    func examplesMatchTheSchemasAndTheSwiftTypes(method: String) throws {
        let recorded = try Self.load("examples/\(Self.file(method)).json")
        // An example file holds one exchange, and may hold more of the same method under "more".
        var exchanges = [recorded]
        if case .array(let more) = recorded["more"] { exchanges += more }
        for example in exchanges {
            try check(example, method: method)
        }
    }

    private func check(_ example: JSONValue, method: String) throws {
        #expect(example["message"]?["method"] == .string(method))
        let params = example["message"]?["params"] ?? .null
        let paramsSchema = try Self.load("schema/\(Self.file(method)).params.json")
        #expect(SchemaCheck.problems(params == .null ? .object([:]) : params, paramsSchema).isEmpty,
                "\(method) params: \(SchemaCheck.problems(params, paramsSchema))")
        if let decode = Self.types[method]?.params {
            let value = try decode(params)
            #expect(FieldCheck.mismatches(value, paramsSchema).isEmpty, "\(method) params fields: \(FieldCheck.mismatches(value, paramsSchema))")
        }
        guard ProtocolMethods.requests.contains(method) else { return }
        let result = try #require(example["reply"]?["result"], "\(method) example has no result")
        let resultSchema = try Self.load("schema/\(Self.file(method)).result.json")
        #expect(SchemaCheck.problems(result, resultSchema).isEmpty, "\(method) result: \(SchemaCheck.problems(result, resultSchema))")
        if let decode = Self.types[method]?.result {
            let value = try decode(result)
            #expect(FieldCheck.mismatches(value, resultSchema).isEmpty, "\(method) result fields: \(FieldCheck.mismatches(value, resultSchema))")
        }
    }
}

/// The part of JSON Schema the spec uses: type (or a list), enum, properties, required,
/// additionalProperties: false, items.
enum SchemaCheck {
    static func problems(_ value: JSONValue, _ schema: JSONValue, at path: String = "$") -> [String] {
        guard case .object(let rules) = schema, !rules.filter({ !["$schema", "title"].contains($0.key) }).isEmpty else { return [] }
        var found: [String] = []
        if case .array(let allowed) = rules["enum"], !allowed.contains(value) { found.append("\(path): \(value) is not one of \(allowed)") }
        if let type = rules["type"] {
            let names: [String] = if case .array(let list) = type { list.compactMap(\.stringValue) } else { [type.stringValue ?? ""] }
            if !names.contains(where: { matches(value, $0) }) { return found + ["\(path): \(value) is not \(names.joined(separator: " or "))"] }
        }
        if case .object(let object) = value {
            if case .object(let properties) = rules["properties"] {
                for (key, child) in object {
                    if let rule = properties[key] {
                        found += problems(child, rule, at: "\(path).\(key)")
                    } else if rules["additionalProperties"] == .bool(false) {
                        found.append("\(path): unexpected \(key)")
                    }
                }
            }
            if case .array(let required) = rules["required"] {
                for key in required.compactMap(\.stringValue) where object[key] == nil { found.append("\(path): missing \(key)") }
            }
        }
        if case .array(let items) = value, let rule = rules["items"] {
            for (index, item) in items.enumerated() { found += problems(item, rule, at: "\(path)[\(index)]") }
        }
        return found
    }

    static func matches(_ value: JSONValue, _ type: String) -> Bool {
        switch (value, type) {
        case (.null, "null"), (.bool, "boolean"), (.int, "integer"), (.int, "number"), (.double, "number"),
             (.string, "string"), (.array, "array"), (.object, "object"): true
        default: false
        }
    }
}

/// Compares a Swift wire value's stored properties with the schema's properties, recursively, so a
/// field added, removed or renamed on one side only fails the test.
enum FieldCheck {
    static func mismatches(_ value: Any, _ schema: JSONValue, at path: String = "$") -> [String] {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            guard let wrapped = mirror.children.first?.value else { return [] }
            return mismatches(wrapped, schema, at: path)
        }
        if mirror.displayStyle == .collection {
            guard let first = mirror.children.first?.value, let items = schema["items"] else { return [] }
            return mismatches(first, items, at: "\(path)[0]")
        }
        guard mirror.displayStyle == .struct, case .object(let properties) = schema["properties"] else { return [] }
        let swiftFields = Set(mirror.children.compactMap(\.label))
        let specFields = Set(properties.keys)
        guard !swiftFields.isEmpty else { return [] }
        var found: [String] = []
        if swiftFields != specFields {
            found.append("\(path): Swift has \(swiftFields.subtracting(specFields).sorted()), the schema has \(specFields.subtracting(swiftFields).sorted())")
        }
        for child in mirror.children {
            guard let label = child.label, let rule = properties[label] else { continue }
            found += mismatches(child.value, rule, at: "\(path).\(label)")
        }
        return found
    }
}
