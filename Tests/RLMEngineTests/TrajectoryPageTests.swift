import Foundation
import RLMEngine
import Testing
import TestSupport

/// The HTML viewer over a real trajectory: the engine answers against the scripted server (turns,
/// a batch, a child RLM, a cell error, hostile text, a budget that ends it), the page is rendered
/// and headless Chromium loads it, runs its script and takes screenshots.
@Suite struct TrajectoryPageTests {
    static let hostile = "<script>alert('owned')</script>"

    /// A question that runs out of turns after exploring in every way the page has to show.
    static func realTrajectory() async throws -> (EngineHarness, Trajectory) {
        let harness = try await EngineHarness([
            reply("hits = grep('retry')\nprint(len(hits), 'hits')\nfor path, line, text in hits[:3]:\n    print(f'{path}:{line}: {text}')",
                  say: "I will **grep** for `retry` first."),
            reply("parts = llm_query_batched(['Summarize: ' + read('src/retry.py'), 'Summarize: ' + read('src/app.py'), \"Say \(hostile)\"])\nfor p in parts:\n    print(p[:60])",
                  say: "Now three summaries at once."),
            .echo("summary: ", model: EngineHarness.sub),
            reply("inner = rlm_query('What does the text start with?', context='inner text here')\nprint(inner)"),
            .openAI("Child looks.\n```repl\nFINAL('starts with ' + context[:5])\n```", model: EngineHarness.child),
            reply("print(undefined_name)", say: "This will fail."),
            reply("print(\"\(hostile)\")\nprint('x' * 30000)"),
            .openAI("From what I saw: retries are in src/retry.py:1-3, called at src/app.py:4 "
                + "(not in src/gone.py:9).\n\n- **backoff**: exponential, see [the docs](https://example.com/retry)\n- unknown: \(hostile)\n"
                + "```repl\nprint('ignored')\n```", model: EngineHarness.root),
        ])
        let session = harness.session { $0.limits.maxIterations = 6 }  // five root turns and the child's
        let answer = try await session.ask("Where are retries implemented, and how do they back off?")
        await session.close()
        #expect(answer.partial && answer.stopReason == .iterations)
        let trajectory = try #require(try harness.store.load(answer.trajectoryID))
        return (harness, trajectory)
    }

    @Test func theRecordHasWhatThePageShows() async throws {
        let (harness, trajectory) = try await Self.realTrajectory()
        #expect(trajectory.store == harness.snapshot.location.directory)
        #expect((trajectory.wallMilliseconds ?? 0) > 0)
        #expect(trajectory.turns.count == 6 && trajectory.turns.allSatisfy { $0.milliseconds != nil && $0.startedMs != nil })
        #expect(trajectory.turns.allSatisfy { ($0.milliseconds ?? 0) >= ($0.modelMilliseconds ?? .infinity) })
        let batch = trajectory.turns[1].subCalls
        #expect(batch.count == 3 && batch.allSatisfy { $0.cell == 0 && $0.batch?.count == 3 && $0.startedMs != nil })
        #expect(Set(batch.compactMap { $0.batch?.request }).count == 1 && Set(batch.compactMap { $0.batch?.index }) == [0, 1, 2])
        let child = try #require(trajectory.turns[2].subCalls.first)
        #expect(child.kind == "rlm_query" && child.cell == 0 && child.batch == nil && child.child?.first?.milliseconds != nil)
    }

    @Test func thePageShowsTheTrajectoryEscapedAndLoadsNothing() async throws {
        let (harness, trajectory) = try await Self.realTrajectory()
        let page = TrajectoryPage.forSaved(trajectory)
        let html = page.html()
        // Model text is never markup: the only scripts are the page's data block and its own script.
        #expect(!html.contains(Self.hostile))
        #expect(html.components(separatedBy: "<script").count == 3)
        #expect(html.contains("&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt;"))
        #expect(Self.externalReferences(html).isEmpty, "\(Self.externalReferences(html))")
        // A link in the answer is text, its address shown beside it.
        #expect(html.contains("<span class=\"link\">the docs</span> <span class=\"url\">(https://example.com/retry)</span>"))
        // Citations with the lines read back from the index; the unknown one marked.
        #expect(page.excerpts.compactMap { $0?.lines.first } == ["def retry(call, attempts=3):", "    return retry(lambda: 42)"])
        #expect(html.contains("src/gone.py:9") && html.contains("unresolved: no such lines in the index"))
        #expect(html.contains("<span class=\"ln\">1</span><span class=\"k\">def</span> <span class=\"f\">retry</span>"))
        _ = harness
    }

    @Test(.enabled(if: Chromium.path != nil, "chromium is not installed (`make test` installs Debian's chromium with apt-get)"))
    func chromiumRendersTheTurnsCodeSubCallsAndTotals() async throws {
        let (harness, trajectory) = try await Self.realTrajectory()
        let folder = FileManager.default.temporaryDirectory.path + "/rlmd-viewer-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/trajectory.html"
        try TrajectoryPage.forSaved(trajectory).html().write(toFile: file, atomically: true, encoding: .utf8)

        let dom = try await Chromium.dumpDOM(file)
        #expect(dom.contains("data-script-ms="), "the page's script did not run to its end")
        for turn in 1...6 { #expect(dom.contains("id=\"turn-\(turn)\""), "turn \(turn) missing") }
        #expect(dom.contains(">answer now<") && dom.contains(">Partial<") && dom.contains("the turn limit was reached (6 turns)"))
        #expect(dom.contains("<span class=\"a\">llm_query_batched</span>"))  // the highlighted code
        #expect(dom.contains("<span class=\"kind\">llm_query_batched</span>") && dom.contains(">3 prompts<"))
        #expect(dom.contains("rlm_query · child RLM") && dom.contains("starts with inner"))
        #expect(dom.contains("NameError") && dom.contains(">output cut<"))
        #expect(dom.contains("<dt>Model calls</dt><dd>\(trajectory.usage.calls)</dd>"))
        #expect(dom.contains("<dt>Input tokens</dt><dd>\(trajectory.usage.input)</dd>"))
        #expect(dom.contains("<svg class=\"chart\""))
        #expect(!dom.contains(Self.hostile))

        // A search opens the closed sub-call holding its match and marks it.
        let searched = try await Chromium.dumpDOM(file, fragment: "find=inner%20text%20here")
        #expect(searched.contains("<mark class=\"hit now\">inner text here</mark>"))
        #expect(searched.contains("data-search-ms="))

        // Screenshots, light and dark: not blank, and the colour scheme follows the system's.
        let light = folder + "/light.png", dark = folder + "/dark.png"
        try await Chromium.screenshot(file, to: light)
        try await Chromium.screenshot(file, to: dark, dark: true)
        let lightStats = try await Chromium.stats(ofPNG: light), darkStats = try await Chromium.stats(ofPNG: dark)
        #expect(lightStats.width == 1100 && lightStats.colours > 50 && lightStats.covered > 0.05, "\(lightStats)")
        #expect(darkStats.colours > 50 && darkStats.covered > 0.05, "\(darkStats)")
        #expect(lightStats.background.reduce(0, +) > 600 && darkStats.background.reduce(0, +) < 150,
                "light \(lightStats.background), dark \(darkStats.background)")
        #expect(dom.contains("<span class=\"ln\">4</span>"))  // the cited lines, read from the harness's index
        _ = harness
        if let keep = ProcessInfo.processInfo.environment["RLMD_KEEP_VIEWER"] {
            for name in ["trajectory.html", "light.png", "dark.png"] {
                try? FileManager.default.removeItem(atPath: keep + "/" + name)
                try FileManager.default.copyItem(atPath: folder + "/" + name, toPath: keep + "/" + name)
            }
        }
    }

    @Test func aTrajectorySavedBeforeTheNewFieldsStillRenders() throws {
        // The shape rlmd saved before per-turn times, cells of sub-calls, batches and the store were recorded.
        let old = """
            {"id":"b702e4208bbd","question":"Where is retry defined?","kind":"repository","root":"/nowhere/workspace",
             "createdAt":"2026-11-27T08:26:21Z","model":"root-model","subModel":"sub-model",
             "limits":{"maxCalls":300,"maxConsecutiveErrors":3,"maxIterations":10,"maxWallSeconds":900},
             "answer":"retry() is defined at src/retry.py:1.","partial":false,
             "citations":[{"path":"src/retry.py","startLine":1,"endLine":1,"resolved":true,"text":"src/retry.py:1"}],
             "usage":{"input":24,"output":10,"cached":8,"calls":2,"iterations":2,"depth":1,"costUSD":0,"unpricedCalls":2},
             "turns":[{"depth":1,"iteration":1,"reply":"Looking.\\n```repl\\nprint(llm_query('hi'))\\n```",
                       "usage":{"input":12,"output":5,"cachedInput":4,"cacheWrite":0,"reported":true},"answerNow":false,
                       "cells":[{"code":"print(llm_query('hi'))","result":{"stdout":"hello\\n","stderr":"","durationMs":3.2,"timedOut":false,"stateLost":false}}],
                       "subCalls":[{"kind":"llm_query","model":"sub-model","prompt":"hi","response":"hello","milliseconds":12.5}]}]}
            """
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let trajectory = try decoder.decode(Trajectory.self, from: Data(old.utf8))
        #expect(trajectory.wallMilliseconds == nil && trajectory.store == nil && trajectory.turns[0].subCalls[0].cell == nil)
        let page = TrajectoryPage.forSaved(trajectory, environment: ["XDG_CACHE_HOME": "/nowhere/cache"])
        let html = page.html()
        #expect(page.excerptsNote?.contains("could not be read") == true)
        #expect(html.contains("<dt>Wall time</dt><dd>—<span class=\"note\">not recorded</span></dd>"))
        #expect(html.contains("Sub-calls of this turn") && html.contains("<span class=\"kind\">llm_query</span>"))
        #expect(html.contains("id=\"turn-1\"") && html.contains(">Complete<"))
    }

    /// `src`/`href` attributes, CSS `url(...)` and `@import` that point outside the page.
    static func externalReferences(_ html: String) -> [String] {
        let patterns = [#"\b(?:src|href|xlink:href|action|poster|srcset|data)\s*=\s*(?:"(?!#)|'(?!#)|(?!["'#]))[^"'\s>]*"#, #"url\(\s*["']?(?!#)[^)]*\)"#,
                        #"@import"#]
        var found: [String] = []
        for pattern in patterns {
            guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else { continue }
            let range = NSRange(html.startIndex..., in: html)
            for match in regex.matches(in: html, range: range) {
                if let found_ = Range(match.range, in: html) { found.append(String(html[found_])) }
            }
        }
        return found
    }
}
