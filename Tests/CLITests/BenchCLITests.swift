import Foundation
import Testing
import TestSupport

/// `rlmd bench` as a user runs it: a table, results kept, resumed and compared, the same tasks for a seed.
@Suite struct BenchCLITests {
    static let trec = (0..<40).map { index in
        ["ABBR:exp What does A\(index) stand for ?", "DESC:def What is thing \(index) ?", "ENTY:other What tool is \(index) ?",
         "HUM:ind Who made \(index) ?", "LOC:city Where is place \(index) ?", "NUM:count How many \(index) are there ?"][index % 6]
    }.joined(separator: "\n") + "\n"

    @Test func oolongAgainstTheScriptedServerRunsResumesAndIsReproducible() async throws {
        let cli = try CLI()
        let tree = try Fixture()
        try tree.write("trec/TREC.test", Self.trec)
        let server = try await ScriptedServer([.openAI("```repl\nFINAL('Answer: entity')\n```", model: "root-model")])
        let common = ["bench", "oolong", "--trec", tree.root + "/trec", "--sizes", "2^11", "--seed", "9", "--limit", "3",
                      "--base-url", "http://127.0.0.1:\(server.port)/v1", "--model", "root-model", "--sub-model", "sub-model"]
        let environment = ["XDG_STATE_HOME": cli.cacheHome + "/state", "XDG_DATA_HOME": cli.cacheHome + "/data",
                           "XDG_CONFIG_HOME": cli.cacheHome + "/config"]
        let first = try await cli.run(common + ["--out", tree.root + "/a"], in: tree.root, environment: environment)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("size  method      n  score  cost mean  cost median  tokens  calls  seconds  partial  errors"))
        for method in ["rlm", "rlm-no-sub", "direct"] { #expect(first.stdout.contains("2^11  \(method)"), "\(method)") }
        #expect(first.stderr.contains("oolong [") && first.stderr.contains("9/9"))
        let lines = try String(contentsOfFile: tree.root + "/a/results.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 9)
        let trajectories = try FileManager.default.contentsOfDirectory(atPath: tree.root + "/a/trajectories")
        #expect(trajectories.count == 6, "one per RLM answer")

        let requests = try await server.requests().count
        let resumed = try await cli.run(["bench", "oolong", "--resume", tree.root + "/a", "--json"], in: tree.root, environment: environment)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try await server.requests().count == requests, "a finished run asks nothing again")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(resumed.stdout.utf8)) as? [String: Any])
        #expect(json["results"] as? Int == 9 && (json["rows"] as? [Any])?.count == 3)

        let second = try await cli.run(common + ["--out", tree.root + "/b", "--methods", "rlm"], in: tree.root, environment: environment)
        #expect(second.status == 0, "\(second.stderr)")
        func tasks(_ run: String) throws -> [String] {
            try String(contentsOfFile: tree.root + "/\(run)/results.jsonl", encoding: .utf8).split(separator: "\n").compactMap { line in
                guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], object["method"] as? String == "rlm"
                else { return nil }
                return "\(object["task"] ?? "") \(object["question"] ?? "") \(object["reference"] ?? "")"
            }.sorted()
        }
        #expect(try tasks("a") == tasks("b"), "the same seed asks the same questions with the same references")

        let compared = try await cli.run(["bench", "compare", tree.root + "/a", tree.root + "/b"], in: tree.root, environment: environment)
        #expect(compared.status == 0 && compared.stdout.contains("2^11  rlm     3"), "\(compared.stdout)\(compared.stderr)")
        let wrong = try await cli.run(["bench", "niah", "--resume", tree.root + "/a"], in: tree.root, environment: environment)
        #expect(wrong.status == 2 && wrong.stderr.contains("holds a oolong run"))
    }

    @Test(.enabled(if: LocalModelTests.installed, "the offline model is not installed (rlmd models install-local)"))
    func niahWithTheLocalModelEndToEnd() async throws {
        let cli = try CLI()
        let tree = try Fixture()
        let result = try await cli.run(["bench", "niah", "--provider", "local", "--sizes", "1k", "--limit", "1", "--methods", "rlm,direct",
                                        "--max-iterations", "1", "--max-reply-tokens", "64", "--json"],
                                       in: tree.root, environment: ["XDG_STATE_HOME": cli.cacheHome + "/state"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let rows = try #require(json["rows"] as? [[String: Any]])
        #expect(rows.count == 2 && rows.allSatisfy { ($0["tasks"] as? Int) == 1 && ($0["callsMean"] as? Double ?? 0) >= 1 })
    }
}
