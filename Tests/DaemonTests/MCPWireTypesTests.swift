import Foundation
import RLMProtocol
import Testing

/// RLMProtocol's MCP types encode the shapes MCP clients read (the ones rlmd sent as literals before).
@Suite struct MCPWireTypesTests {
    @Test func resultsAndSchemasEncodeAsMCPDefinesThem() throws {
        let tool = MCP.Tool("read", "Lines.", ["path": .string("The path."), "k": .integer("How many.")], required: ["path"])
        #expect(try JSONValue(encoding: tool) == .object([
            "name": .string("read"), "description": .string("Lines."),
            "inputSchema": .object([
                "type": .string("object"), "required": .array([.string("path")]), "additionalProperties": .bool(false),
                "properties": .object([
                    "path": .object(["type": .string("string"), "description": .string("The path.")]),
                    "k": .object(["type": .string("integer"), "description": .string("How many.")]),
                ]),
            ]),
        ]))
        #expect(try JSONValue(encoding: MCP.CallTool.Result(text: "no", isError: true)) == .object([
            "content": .array([.object(["type": .string("text"), "text": .string("no")])]), "isError": .bool(true),
        ]))
        let initialized = MCP.Initialize.Result(protocolVersion: "2025-06-18", capabilities: .init(tools: .init(listChanged: false)),
                                                serverInfo: .rlmd, instructions: "Use grep.")
        #expect(try JSONValue(encoding: initialized) == .object([
            "protocolVersion": .string("2025-06-18"), "capabilities": .object(["tools": .object(["listChanged": .bool(false)])]),
            "serverInfo": .object(["name": .string("rlmd"), "version": .string(RLMDVersion.current)]), "instructions": .string("Use grep."),
        ]))
        #expect(try JSONValue(encoding: MCP.Progress.Params(progressToken: .int(7), progress: 2, message: "turn 1")) == .object([
            "progressToken": .int(7), "progress": .int(2), "message": .string("turn 1"),
        ]))
    }
}
