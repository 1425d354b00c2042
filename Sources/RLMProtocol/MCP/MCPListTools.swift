extension MCP {
    /// `tools/list`: every tool with its input schema.
    public enum ListTools {
        public static let method = "tools/list"

        public struct Result: Codable, Sendable, Equatable {
            public var tools: [Tool]
            public init(tools: [Tool]) { self.tools = tools }
        }
    }

    public struct Tool: Codable, Sendable, Equatable {
        public var name: String
        public var description: String
        public var inputSchema: InputSchema
        public init(_ name: String, _ description: String, _ properties: [String: Property], required: [String]) {
            self.name = name
            self.description = description
            inputSchema = InputSchema(properties: properties, required: required)
        }
    }

    /// A tool's arguments as JSON Schema: an object of the named properties and no others.
    public struct InputSchema: Codable, Sendable, Equatable {
        public var type = "object"
        public var properties: [String: Property]
        public var required: [String]
        public var additionalProperties = false
        public init(properties: [String: Property], required: [String]) {
            self.properties = properties
            self.required = required
        }
    }

    /// One argument's JSON Schema.
    public struct Property: Codable, Sendable, Equatable {
        public enum Kind: String, Codable, Sendable { case string, integer }

        public var type: Kind
        public var description: String
        public init(type: Kind, description: String) {
            self.type = type
            self.description = description
        }

        public static func string(_ description: String) -> Property { Property(type: .string, description: description) }
        public static func integer(_ description: String) -> Property { Property(type: .integer, description: description) }
    }
}
