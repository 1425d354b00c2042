import ContextStore
import Foundation
import RLMSupport
import Testing

/// The real binaries over real pipes: `rlmd serve --stdio` and `rlmd mcp`.
@Suite struct ServeCLITests {
    static func exchange(_ arguments: [String], input: Data, in directory: String, cli: CLI) async throws -> (stdout: String, status: Int32) {
        try await OffPool.run {
            let (process, out, _) = cli.process(arguments, in: directory)
            let stdin = Pipe()
            process.standardInput = stdin
            try process.run()
            stdin.fileHandleForWriting.write(input)
            let output = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (String(decoding: output, as: UTF8.self), process.terminationStatus)
        }
    }

    static func lsp(_ json: String) -> Data {
        Data("Content-Length: \(json.utf8.count)\r\n\r\n\(json)".utf8)
    }

    @Test func serveSpeaksOnlyProtocolOnStdout() async throws {
        let tree = try CLITests.sampleTree()
        let cli = try CLI()
        var input = Self.lsp(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"rootUri":"file://\#(tree.root)"}}"#)
        input += Self.lsp(#"{"jsonrpc":"2.0","id":2,"method":"rlm/index"}"#)
        input += Self.lsp(#"{"jsonrpc":"2.0","id":3,"method":"shutdown"}"#)
        input += Self.lsp(#"{"jsonrpc":"2.0","method":"exit"}"#)
        let (stdout, status) = try await Self.exchange(["serve", "--stdio"], input: input, in: tree.root, cli: cli)
        #expect(status == 0)
        // Every byte on stdout belongs to a frame.
        let bodies = try #require(Self.bodies(stdout), "stray bytes: \(stdout.prefix(200))")
        // Pipelined: shutdown may cancel the index, but every request is answered before shutdown is.
        #expect(bodies.count == 3, "\(bodies)")
        #expect(bodies.dropFirst().first.map { $0.contains("\"files\":3") || $0.contains("-32800") } == true)
        #expect(bodies.last?.contains("\"id\":3") == true)
    }

    /// Splits what `serve` wrote into its bodies; nil when a byte lies outside a frame.
    static func bodies(_ stdout: String) -> [String]? {
        var rest = Substring(stdout)
        var bodies: [String] = []
        while let header = rest.range(of: "\r\n\r\n") {
            let length = Int(rest[rest.startIndex..<header.lowerBound].split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) ?? -1
            bodies.append(String(decoding: rest[header.upperBound...].utf8.prefix(length), as: UTF8.self))
            rest = Substring(String(decoding: rest[header.upperBound...].utf8.dropFirst(length), as: UTF8.self))
        }
        return rest.isEmpty ? bodies : nil
    }

    @Test func serveRefusesIdsBeyondSixtyFourBitsInsteadOfAnsweringAnotherId() async throws {
        let tree = try CLITests.sampleTree()
        let cli = try CLI()
        var input = Self.lsp(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"rootUri":"file://\#(tree.root)"}}"#)
        for id in ["18446744073709551615", "9223372036854775808", "-9223372036854775809"] {
            input += Self.lsp(#"{"jsonrpc":"2.0","id":\#(id),"method":"rlm/status"}"#)
        }
        input += Self.lsp(#"{"jsonrpc":"2.0","id":9223372036854775807,"method":"rlm/status"}"#)
        input += Self.lsp(#"{"jsonrpc":"2.0","id":3,"method":"shutdown"}"#) + Self.lsp(#"{"jsonrpc":"2.0","method":"exit"}"#)
        let (stdout, status) = try await Self.exchange(["serve", "--stdio"], input: input, in: tree.root, cli: cli)
        #expect(status == 0)
        let bodies = try #require(Self.bodies(stdout))
        let refused = bodies.filter { $0.contains("-32600") }
        #expect(refused.count == 3, "\(bodies)")
        #expect(refused.allSatisfy { $0.contains(#""id":null"#) && $0.contains("integer from -2^63 to 2^63-1") })
        #expect(bodies.contains { $0.contains(#""id":9223372036854775807,"#) && $0.contains("result") })
        #expect(!bodies.contains { $0.contains(#""id":-"#) })
    }

    @Test func mcpAnswersNewlineDelimitedJSONRPC() async throws {
        let tree = try CLITests.sampleTree()
        let cli = try CLI()
        let input = [
            #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}"#,
            #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
            #"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#,
            #"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"grep","arguments":{"pattern":"def retry"}}}"#,
        ].joined(separator: "\n") + "\n"
        // The grep waits for the first index; keep stdin open until its answer could have come.
        let root = tree.root
        let (stdout, status) = try await OffPool.run {
            let (process, out, _) = cli.process(["mcp"], in: root)
            let stdin = Pipe()
            process.standardInput = stdin
            try process.run()
            stdin.fileHandleForWriting.write(Data(input.utf8))
            var received = Data()
            while received.split(separator: 10).count < 3 {
                let chunk = out.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                received.append(chunk)
            }
            try stdin.fileHandleForWriting.close()
            received.append(out.fileHandleForReading.readDataToEndOfFile())
            process.waitUntilExit()
            return (String(decoding: received, as: UTF8.self), process.terminationStatus)
        }
        #expect(status == 0)
        let lines = stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.first?.contains("\"protocolVersion\":\"2025-06-18\"") == true)
        #expect(lines.dropFirst().first?.contains("\"ask_repo\"") == true)
        #expect(lines.last?.contains("src/app/retry.py:1:def retry(url, attempts=3):") == true)
    }
}
