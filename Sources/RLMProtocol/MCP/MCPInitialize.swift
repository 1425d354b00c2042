extension MCP {
    /// `initialize`: the negotiated protocol version, what the server offers, and how to use it.
    public enum Initialize {
        public static let method = "initialize"

        public struct Result: Codable, Sendable, Equatable {
            public var protocolVersion: String
            public var capabilities: Capabilities
            public var serverInfo: RLMProtocol.Initialize.ServerInfo
            /// Read by the client's model: when to use which tool.
            public var instructions: String
            public init(protocolVersion: String, capabilities: Capabilities, serverInfo: RLMProtocol.Initialize.ServerInfo,
                        instructions: String) {
                self.protocolVersion = protocolVersion
                self.capabilities = capabilities
                self.serverInfo = serverInfo
                self.instructions = instructions
            }
        }

        public struct Capabilities: Codable, Sendable, Equatable {
            public var tools: Tools
            public init(tools: Tools) { self.tools = tools }
        }

        public struct Tools: Codable, Sendable, Equatable {
            /// Whether the server sends `notifications/tools/list_changed`.
            public var listChanged: Bool
            public init(listChanged: Bool) { self.listChanged = listChanged }
        }
    }
}
