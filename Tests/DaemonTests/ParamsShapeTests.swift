import Daemon
import Foundation
import JSONRPC
import RLMProtocol
import Testing
import TestSupport

/// Params that are neither an object nor an array are refused by every method, the ones that read
/// no field included, and serving goes on.
@Suite struct ParamsShapeTests {
    static let unstructured: [JSONValue] = [.string("not an object"), .int(5), .bool(true), .double(1.5)]

    static func expectRefused(_ result: Result<JSONValue, ResponseError>, method: String, _ params: JSONValue) {
        #expect(result.failure?.code == .invalidParams, "\(method) with \(params): \(result)")
        #expect(result.failure?.message == "\(method): params must be an object or an array", "\(result)")
    }

    @Test func everyLSPMethodRefusesParamsThatAreNotStructured() async throws {
        let fixture = try Fixture()
        try fixture.write("a.txt", "alpha\n")
        let client = TestClient(environment: TestClient.environment(cache: fixture.root + "/.."))
        // Before initialize too: the shape is checked before anything else.
        Self.expectRefused(await client.request(Initialize.method, .string("x")), method: Initialize.method, .string("x"))
        #expect(await client.initialize(root: fixture.root).value != nil)
        for method in ProtocolMethods.requests + ["rlm/unknown"] {
            for params in Self.unstructured {
                Self.expectRefused(await client.request(method, params), method: method, params)
            }
        }
        // Still serving, and shutdown with bad params did not shut it down.
        #expect(await client.request(Status.method).value?["files"] != nil)
        #expect(await client.request(Status.method, .array([])).value != nil)
        #expect(await client.exit() == 1)
    }

    @Test func everyMCPMethodRefusesParamsThatAreNotStructured() async throws {
        let fixture = try QuestionTests.workspace()
        let client = MCPTests.client(fixture)
        for method in ["initialize", "ping", "tools/list", "tools/call", "resources/list"] {
            for params in Self.unstructured {
                Self.expectRefused(await client.request(method, params), method: method, params)
            }
        }
        #expect(await client.request("ping").value == .object([:]))
    }
}
