import Foundation
import Testing

/// `rlmd mcp` as MCP clients run it: the real binary, lines over real pipes.
@Suite struct MCPCLITests {
    static func ping(_ id: String, pad: Int = 0) -> String {
        #"{"jsonrpc":"2.0","id":"\#(id)","method":"ping","params":{"pad":"\#(String(repeating: "a", count: pad))"}}"#
    }

    @Test func aSixteenMegabyteLineIsAnsweredAtOnce() async throws {
        let tree = try CLITests.sampleTree()
        let cli = try CLI()
        let mcp = try MCPSession(cli: cli, in: tree.root)
        let started = ContinuousClock.now
        await mcp.send(Self.ping("big", pad: 16 << 20) + "\n" + Self.ping("next"))
        let big = await mcp.next()
        #expect(big?["id"] as? String == "big" && big?["result"] != nil)
        #expect(ContinuousClock.now - started < .seconds(30))  // 47.8 s in release when every read rescanned the line
        #expect(await mcp.next()?["id"] as? String == "next")
        #expect(await mcp.close().status == 0)
    }

    @Test func idsBeyondSixtyFourBitsAreRefusedInsteadOfAnsweredAsAnotherId() async throws {
        let tree = try CLITests.sampleTree()
        let cli = try CLI()
        let mcp = try MCPSession(cli: cli, in: tree.root)
        for id in ["18446744073709551615", "9223372036854775808", "-9223372036854775809", "1.5"] {
            await mcp.send(#"{"jsonrpc":"2.0","id":\#(id),"method":"ping"}"#)
            let refused = await mcp.next()
            #expect(refused?["id"] is NSNull, "\(id): \(String(describing: refused))")
            #expect((refused?["error"] as? [String: Any])?["code"] as? Int == -32600, "\(id)")
        }
        await mcp.send(#"{"jsonrpc":"2.0","id":-9223372036854775808,"method":"ping"}"#)
        let answered = await mcp.next()
        #expect((answered?["id"] as? NSNumber)?.int64Value == .min && answered?["result"] != nil)
        #expect(await mcp.close().status == 0)
    }

    @Test func initializeAnswersTheClientsVersionWhenSupportedElseTheNewest() async throws {
        let tree = try CLITests.sampleTree()
        let cli = try CLI()
        for (asked, answered) in [("\"2024-11-05\"", "2024-11-05"), ("\"2025-03-26\"", "2025-03-26"), ("\"2025-06-18\"", "2025-06-18"),
                                  ("\"2099-01-01\"", "2025-06-18"), ("7", "2025-06-18"), ("null", "2025-06-18")] {
            let mcp = try MCPSession(cli: cli, in: tree.root)
            await mcp.send(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":\#(asked),"capabilities":{}}}"#)
            let result = await mcp.next()?["result"] as? [String: Any]
            #expect(result?["protocolVersion"] as? String == answered, "asked \(asked)")
            #expect(await mcp.close().status == 0)
        }
    }

    @Test func theFileSystemRootOrAHomeWithoutAProjectMarkerIsRefusedBeforeServing() async throws {
        let tree = try CLITests.sampleTree()
        let cli = try CLI()
        let root = try await cli.run(["mcp", "--workspace", "/"], in: tree.root)
        #expect(root.status == 2 && root.stdout.isEmpty)
        #expect(root.stderr.contains("refusing to index /: it is the file system root"), "\(root.stderr)")
        let home = try await cli.run(["mcp"], in: tree.root, environment: ["HOME": tree.root])
        #expect(home.status == 2 && home.stderr.contains("it is your home folder"), "\(home.stderr)")
        let index = try await cli.run(["index"], in: tree.root, environment: ["HOME": tree.root])
        #expect(index.status == 2 && index.stderr.contains("add an .rlmignore there to index it anyway"), "\(index.stderr)")
        try tree.write(".rlmignore", "")
        #expect(try await cli.run(["index"], in: tree.root, environment: ["HOME": tree.root]).status == 0)
    }

    @Test func aLineOverTheLimitIsRefusedAndTheNextOneAnswered() async throws {
        let tree = try CLITests.sampleTree()
        let cli = try CLI()
        let mcp = try MCPSession(cli: cli, in: tree.root)
        await mcp.send(Self.ping("huge", pad: 64 << 20) + "\n" + Self.ping("next"))
        let refused = await mcp.next()
        #expect(refused?["id"] is NSNull)
        let error = refused?["error"] as? [String: Any]
        #expect(error?["code"] as? Int == -32700)
        #expect((error?["message"] as? String)?.contains("over the limit of 67108864; skipped") == true, "\(String(describing: error))")
        #expect(await mcp.next()?["id"] as? String == "next")
        let (status, stderr) = await mcp.close()
        #expect(status == 0)
        #expect(stderr.contains("over the limit"))
    }
}
