import Foundation
import RLMProtocol
import Testing
import TestSupport

@Suite struct CLITests {
    static func sampleTree() throws -> Fixture {
        let tree = try Fixture()
        try tree.write("src/app/client.py", "import time\n\ndef fetch(url):\n    return retry(url)\n")
        try tree.write("src/app/retry.py", "def retry(url, attempts=3):\n    # back off exponentially\n    pass\n")
        try tree.write("README.md", "# Sample\n\nA sample project.\n")
        return tree
    }

    @Test func indexJSONHasTheDocumentedFields() async throws {
        let tree = try Self.sampleTree()
        let cli = try CLI()
        let result = try await cli.run("index", tree.root, "--json", in: tree.root)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        for key in ["root", "files", "bytes", "tokens", "skipped", "changed", "seconds"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["files"] as? Int == 3)
        #expect(object["root"] as? String == tree.root)
        let skipped = try #require(object["skipped"] as? [String: Int])
        #expect(skipped["binary"] == 0 && skipped["too_large"] == 0 && skipped["ignored"] == 0)
        #expect(result.stdout.split(separator: "\n").count == 1)

        // A store named with --store alone answers from anywhere.
        let store = cli.cacheHome + "/explicit-store"
        #expect(try await cli.run(["index", tree.root, "--store", store], in: tree.root).status == 0)
        let files = try await cli.run(["files", "--store", store], in: "/")
        #expect(files.stdout == "README.md\nsrc/app/client.py\nsrc/app/retry.py\n", "\(files.stderr)")
    }

    @Test func queriesWorkFromASubfolder() async throws {
        let tree = try Self.sampleTree()
        let cli = try CLI()
        let summary = try await cli.run("index", in: tree.root)
        #expect(summary.status == 0 && summary.stdout.contains("3 files"), "\(summary.stderr)")
        let sub = tree.root + "/src/app"

        let read = try await cli.run("read", "retry.py:2", in: sub)
        #expect(read.status == 0 && read.stdout == "    # back off exponentially\n", "\(read.stderr)")
        #expect(try await cli.run("read", "src/app/client.py:3-4", in: sub).stdout == "def fetch(url):\n    return retry(url)\n")
        #expect(try await cli.run("read", "README.md", in: tree.root).stdout == "# Sample\n\nA sample project.\n")

        let grep = try await cli.run("grep", "def \\w+", "--json", in: sub)
        #expect(grep.status == 0)
        let matches = try #require(try JSONSerialization.jsonObject(with: Data(grep.stdout.utf8)) as? [[String: Any]])
        #expect(matches.map { $0["path"] as? String } == ["src/app/client.py", "src/app/retry.py"])
        #expect(matches.first?["line"] as? Int == 3 && matches.first?["text"] as? String == "def fetch(url):")
        #expect(try await cli.run("grep", "retry", "--glob", "client.py", in: sub).stdout == "src/app/client.py:4:    return retry(url)\n")
        #expect(try await cli.run("grep", "no such thing", in: sub).status == 1)

        let search = try await cli.run("search", "exponentially", "--json", in: sub)
        #expect(search.status == 0)
        #expect(search.stdout.contains("\"path\":\"src/app/retry.py\""))
        #expect(try await cli.run("search", "zebra", in: sub).status == 1)
        let files = try await cli.run("files", in: sub)
        #expect(files.stdout == "README.md\nsrc/app/client.py\nsrc/app/retry.py\n")
    }

    @Test func inputErrorsExitTwoWithOneLine() async throws {
        let tree = try Self.sampleTree()
        let cli = try CLI()
        let notIndexed = try await cli.run("grep", "x", in: tree.root)
        #expect(notIndexed.status == 2 && notIndexed.stderr.contains("no index"))
        let cases: [[String]] = [
            ["index", tree.root + "/does-not-exist"],
            ["index", tree.root + "/README.md"],
            ["index", tree.root, "--store", tree.root + "/README.md/store"],
            ["index", "--bogus-flag"],
            ["read", "README.md:5-2", "--workspace", tree.root],
            ["read", "missing.txt", "--workspace", tree.root],
            ["read", "README.md:99", "--workspace", tree.root],
            ["grep", "(unclosed", "--workspace", tree.root],
            ["search", "\"unbalanced", "--raw", "--workspace", tree.root],
            ["frobnicate"],
        ]
        try await cli.run("index", tree.root, in: tree.root)
        for arguments in cases {
            let result = try await cli.run(arguments, in: tree.root)
            #expect(result.status == 2, "\(arguments): \(result.status) \(result.stderr)")
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].hasPrefix("rlmd: "), "\(arguments): \(result.stderr)")
        }
    }

    @Test func twoIndexersAtOnceLeaveOneGoodIndex() async throws {
        let tree = try Fixture()
        for i in 0..<400 { try tree.write("pkg\(i % 10)/file\(i).txt", "file number \(i)\n" + String(repeating: "filler text\n", count: 200)) }
        let cli = try CLI()
        let runs = (0..<2).map { _ in cli.process(["index", tree.root, "--json"], in: tree.root) }
        for (process, _, _) in runs { try process.run() }
        var reports: [[String: Any]] = []
        for (process, out, err) in runs {
            let (status, data, errors) = await finished(process, out: out, err: err)
            #expect(status == 0, "\(errors)")
            reports.append(try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any]))
        }
        #expect(reports.allSatisfy { $0["files"] as? Int == 400 })
        #expect(reports.map { $0["changed"] as? Int ?? -1 }.sorted() == [0, 400])
        let grep = try await cli.run("grep", "^file number 399$", in: tree.root)
        #expect(grep.stdout == "pkg9/file399.txt:1:file number 399\n")
    }

    @Test func coldIndexKilledMidRunIsRebuiltCleanly() async throws {
        let tree = try Fixture()
        let chunk = String(repeating: "searchable words of a first index\n", count: 600)
        for i in 0..<1500 { try tree.write("part\(i).txt", "part \(i)\n" + chunk) }
        let cli = try CLI()
        let (process, _, _) = cli.process(["index", tree.root], in: tree.root)
        try process.run()
        // Kill once the new search shards exist and records are being written.
        let cacheHome = cli.cacheHome
        let wasRunning = await kill(process, when: {
            guard let store = (try? FileManager.default.contentsOfDirectory(atPath: cacheHome + "/rlmd"))?.first,
                  let size = try? FileManager.default.attributesOfItem(atPath: "\(cacheHome)/rlmd/\(store)/context-1.txt")[.size] as? Int
            else { return false }
            return size > 4 << 20
        })
        #expect(wasRunning, "the indexer finished before it could be killed")

        let again = try await cli.run(["index", tree.root, "--json"], in: tree.root)
        #expect(again.status == 0 && again.stdout.contains("\"files\":1500"), "\(again.stderr)")
        let search = try await cli.run(["search", "searchable", "--json", "-k", "2000"], in: tree.root)
        #expect(search.stdout.components(separatedBy: "\"path\"").count - 1 == 1500, "\(search.stderr)")
    }

    @Test func indexerKilledMidRunLeavesTheLastSnapshot() async throws {
        let tree = try Fixture()
        try tree.write("first.txt", "the first snapshot\n")
        let cli = try CLI()
        #expect(try await cli.run("index", tree.root, in: tree.root).status == 0)
        let store = try #require(try FileManager.default.contentsOfDirectory(atPath: cli.cacheHome + "/rlmd").first)
        let contextFile = "\(cli.cacheHome)/rlmd/\(store)/context-1.txt"
        let committed = try #require(try FileManager.default.attributesOfItem(atPath: contextFile)[.size] as? Int)

        let chunk = String(repeating: "more words for the second snapshot\n", count: 600)
        for i in 0..<1500 { try tree.write("second/part\(i).txt", "part \(i)\n" + chunk) }
        let (process, _, _) = cli.process(["index", tree.root], in: tree.root)
        try process.run()
        // Kill once the indexer has started appending records past the committed length.
        let wasRunning = await kill(process, when: {
            ((try? FileManager.default.attributesOfItem(atPath: contextFile)[.size] as? Int) ?? 0) > committed + (1 << 20)
        })
        #expect(wasRunning, "the indexer finished before it could be killed")
        #expect(process.terminationReason == .uncaughtSignal)

        let files = try await cli.run("files", in: tree.root)
        #expect(files.status == 0 && files.stdout == "first.txt\n", "\(files.stderr)")
        #expect(try await cli.run("grep", "first snapshot", in: tree.root).status == 0)
        #expect(try await cli.run("grep", "second snapshot", in: tree.root).status == 1)

        let again = try await cli.run("index", tree.root, "--json", in: tree.root)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("\"files\":1501"))
        #expect(try await cli.run("grep", "^part 1499$", in: tree.root).stdout == "second/part1499.txt:1:part 1499\n")
        let search = try await cli.run("search", "first snapshot", "--json", "-k", "2000", in: tree.root)
        #expect(search.status == 0 && search.stdout.contains("\"path\":\"first.txt\""), "\(search.stderr)")
        #expect(search.stdout.components(separatedBy: "\"path\"").count - 1 == 1501)
    }
}

@Suite struct ModelCommandForwardingTests {
    @Test func rlmdHandsModelCommandsToRlmdLM() async throws {
        let tree = try Fixture()
        let cli = try CLI()
        let help = try await cli.run(["--help"], in: tree.root)
        for name in ["index", "exec", "complete", "doctor", "models", "bench"] { #expect(help.stdout.contains("  \(name) ")) }
        let complete = try await cli.run(["complete", "--help"], in: tree.root)
        #expect(complete.status == 0 && complete.stdout.contains("--base-url"), "\(complete.stderr)")
        let benchLM = try await cli.run(["bench", "lm", "--help"], in: tree.root)
        #expect(benchLM.status == 0 && benchLM.stdout.contains("--concurrency"))

        // Alone, rlmd still runs store commands and says what is missing for the others.
        let alone = tree.root + "/rlmd"
        try FileManager.default.copyItem(atPath: CLI.binary, toPath: alone)
        // A child forked by another test may still hold the copy's write descriptor for a moment
        // (ETXTBSY until it execs), so the first runs may be refused.
        var version = ""
        for _ in 0..<50 where version.isEmpty {
            version = (try? Fixture.run(alone, ["--version"])) ?? ""
            if version.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(version == RLMDVersion.current + "\n")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: alone)
        process.arguments = ["complete", "hi"]
        let err = Pipe()
        process.standardError = err
        try process.run()
        let (status, _, message) = await finished(process, out: nil, err: err)
        #expect(status == 2)
        #expect(message.contains("rlmd-lm") && message.contains("beside rlmd"))
    }
}
