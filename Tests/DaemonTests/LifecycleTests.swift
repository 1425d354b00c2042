import Daemon
import Foundation
import JSONRPC
import RLMProtocol
import Testing
import TestSupport

@Suite struct LifecycleTests {
    @Test func theLifecycleFromInitializeToExit() async throws {
        let fixture = try Fixture()
        try fixture.write("a.txt", "alpha\n")
        let client = TestClient(environment: TestClient.environment(cache: fixture.root + "/.."))
        #expect(await client.request(Status.self).failure?.code == .serverNotInitialized)
        let result = try await client.initialize(root: fixture.root, options: nil).get()
        #expect(result.capabilities.executeCommandProvider.commands == ExecuteCommand.commands)
        #expect(result.serverInfo.name == "rlmd")
        client.notify(Initialized.self, .object([:]))
        #expect(await client.initialize(root: fixture.root).failure?.code == .invalidRequest)
        #expect(await client.request("rlm/nope").failure?.code == .methodNotFound)
        #expect(await client.request(TrajectoryRequest.method, .object(["id": .int(5)])).failure?.code == .invalidParams)
        #expect(await client.request(TrajectoryRequest.self, TrajectoryRequest.Params(id: "missing")).failure?.code == .unknownTrajectory)
        client.notify(CancelRequest.self, CancelRequest.Params(id: .int(999)))  // unknown id: ignored

        #expect(try await client.call(IndexWorkspace.self).files == 1)
        try fixture.write("b.txt", "beta\n")
        client.send(DidSave.method, .object(["textDocument": .object(["uri": .string("file:///x")])]), id: nil)
        var files: Int?
        for _ in 0..<200 where files != 2 {
            files = await client.request(Status.self).value?.files
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(files == 2)

        #expect(await client.request(Shutdown.method).value == .null)
        #expect(await client.request(Status.self).failure?.code == .invalidRequest)
        #expect(await client.exit() == 0)
    }

    @Test func theFileSystemRootAndAHomeWithoutAProjectMarkerAreRefusedAtInitialize() async throws {
        let fixture = try Fixture()
        try fixture.write("a.txt", "alpha\n")
        let client = TestClient(environment: TestClient.environment(cache: fixture.root + "/..", extra: ["HOME": fixture.root]))
        let root = await client.initialize(root: "/")
        #expect(root.failure?.code == .invalidParams)
        #expect(root.failure?.message.contains("refusing to index /: it is the file system root") == true, "\(root)")
        let home = await client.initialize(root: fixture.root)
        #expect(home.failure?.code == .invalidParams)
        #expect(home.failure?.message.contains("it is your home folder and holds no project marker (.git") == true, "\(home)")
        try fixture.write(".rlmignore", "")
        #expect(await client.initialize(root: fixture.root).value?["serverInfo"] != nil)
        #expect(await client.request(IndexWorkspace.self).value?.files == 2)
        #expect(await client.exit() == 1)
    }

    @Test func exitWithoutShutdownIsStatusOne() async throws {
        let fixture = try Fixture()
        let client = TestClient(environment: TestClient.environment(cache: fixture.root + "/.."))
        _ = await client.initialize(root: fixture.root)
        #expect(await client.exit() == 1)
    }

    @Test func badBytesAreAnsweredAndTheNextRequestStillIs() async throws {
        let fixture = try Fixture()
        let client = TestClient(environment: TestClient.environment(cache: fixture.root + "/.."))
        _ = await client.initialize(root: fixture.root)
        client.sendRaw(Data("Content-Length: 9\r\n\r\nnot json!".utf8))
        client.sendRaw(Framing.lsp.frame(Data("[1]".utf8)))
        client.sendRaw(Framing.lsp.frame(Data(#"{"jsonrpc":"1.0","id":7,"method":"rlm/status"}"#.utf8)))
        client.sendRaw(Data("Content-Length: abc\r\n\r\n".utf8))
        client.sendRaw(Framing.lsp.frame(Data([0xFF, 0xFE, 0x7B])))
        #expect(await client.response(.int(7)).failure?.code == .invalidRequest)
        #expect(await client.request(Status.method).value?["index"] != nil)
        let codes = client.unnumberedErrors().map(\.code.rawValue)
        #expect(codes.filter { $0 == ErrorCode.parseError.rawValue }.count == 3)
        #expect(codes.contains(ErrorCode.invalidRequest.rawValue))

        // A 10 MB request is read and answered (here: a question for a provider that is not configured).
        let question = String(repeating: "why ", count: (10 << 20) / 4)
        #expect(await client.request(Ask.method, .object(["question": .string(question)])).failure?.code == .providerNotConfigured)
        #expect(await client.exit() == 1)
    }

    @Test func everyBadHeaderIsAnsweredWithAParseErrorAndServingGoesOn() async throws {
        let fixture = try Fixture()
        let client = TestClient(environment: TestClient.environment(cache: fixture.root + "/.."))
        _ = await client.initialize(root: fixture.root)
        let headers = ["Content-Type: x\r\n\r\n", "Content-Length: ten\r\n\r\n", "Content-Length: -5\r\n\r\n",
                       "garbage line\r\n\r\n", "Content-Length: 67108865\r\n\r\n" + String(repeating: " ", count: 64 << 20 + 1)]
        for (n, header) in headers.enumerated() {
            client.sendRaw(Data(header.utf8))
            #expect(await client.request(Status.method).value?["index"] != nil, "\(header)")
            let errors = client.unnumberedErrors()
            #expect(errors.count == n + 1 && errors.last?.code == .parseError, "\(header): \(errors)")
        }
        #expect(client.unnumberedErrors().last?.message.contains("over the limit") == true)
        #expect(await client.exit() == 1)
    }

    @Test func aClientThatDoesNotReadCannotStallTheServer() async throws {
        let fixture = try Fixture()
        var up: [Int32] = [0, 0], down: [Int32] = [0, 0]
        _ = pipe(&up)
        _ = pipe(&down)
        let server = LSPServer(connection: Connection(input: up[0], output: down[1], framing: .lsp),
                                      environment: TestClient.environment(cache: fixture.root + "/.."))
        let running = Task { await server.run() }
        // 2,000 requests whose answers (~300 KB) overflow the pipe while nobody reads.
        var batch = Data()
        for id in 0..<2000 { batch.append(Framing.lsp.frame(Data(#"{"jsonrpc":"2.0","id":\#(id),"method":"rlm/status"}"#.utf8))) }
        batch.append(Framing.lsp.frame(Data(#"{"jsonrpc":"2.0","method":"exit"}"#.utf8)))
        let bytesToSend = batch, input = up[1]
        let writer = Thread { bytesToSend.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = write(input, bytes.baseAddress! + offset, bytes.count - offset)
                if n <= 0 { break }
                offset += n
            }
        } }
        writer.start()
        // The server reads everything and exits although its answers wait unread.
        let status = await withTaskGroup(of: Int32?.self) { group in
            group.addTask { await running.value }
            group.addTask {
                try? await Task.sleep(for: .seconds(20))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        #expect(status == 1)
        close(down[0])
    }
}
