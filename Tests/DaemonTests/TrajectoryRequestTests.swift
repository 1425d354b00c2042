import Foundation
import RLMProtocol
import Testing
import TestSupport

/// `rlm/trajectory` in each of its forms: JSON Lines (the default), the HTML page inline, and the
/// page written to the cache folder for an editor to open.
@Suite struct TrajectoryRequestTests {
    @Test func aTrajectoryAsJSONLinesAsAPageAndAsAFile() async throws {
        let fixture = try QuestionTests.workspace()
        let server = try await ScriptedServer([
            .openAI("```repl\nFINAL('retry() is at src/retry.py:1 <b>bold</b>')\n```", model: "root-model"),
        ])
        let cache = fixture.root + "/.."
        let client = TestClient(environment: TestClient.environment(cache: cache))
        _ = await client.initialize(root: fixture.root, options: QuestionTests.options(server))
        let id = try await client.call(Ask.self, Ask.Params(question: "Where is retry?")).trajectory

        let jsonl = await client.request(TrajectoryRequest.self, TrajectoryRequest.Params(id: id, format: .jsonl))
        #expect(jsonl.value?.jsonl?.hasPrefix("{") == true && jsonl.value?.html == nil)

        let inline = await client.request(TrajectoryRequest.self, TrajectoryRequest.Params(id: String(id.prefix(6)), format: .html, inline: true))
        let html = try #require(inline.value?.html, "\(String(describing: inline.failure))")
        #expect(html.hasPrefix("<!doctype html>") && inline.value?.jsonl == nil && inline.value?.path == nil)
        #expect(html.contains("retry() is at src/retry.py:1 &lt;b&gt;bold&lt;/b&gt;"))
        #expect(html.contains("<span class=\"ln\">1</span>"))  // the cited line, from the workspace's index

        // What the editor plugins send: the page is written and its path answered.
        let file = await client.request(TrajectoryRequest.self, TrajectoryRequest.Params(id: id, format: .html))
        let path = try #require(file.value?.path, "\(String(describing: file.failure))")
        #expect(path.hasPrefix(cache + "/cache/rlmd/trajectories/") && path.hasSuffix("/\(id).html"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == html)

        let wrong = await client.request(TrajectoryRequest.self, TrajectoryRequest.Params(id: id, inline: true))
        #expect(wrong.failure?.code == .invalidParams)
        let unknownFormat = await client.request(TrajectoryRequest.method, .object(["id": .string(id), "format": .string("pdf")]))
        #expect(unknownFormat.failure?.code == .invalidParams)
        let unknown = await client.request(TrajectoryRequest.self, TrajectoryRequest.Params(id: "nope", format: .html))
        #expect(unknown.failure?.code == .unknownTrajectory)
        #expect(await client.exit() == 1)
    }
}
