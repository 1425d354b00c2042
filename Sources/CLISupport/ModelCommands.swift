import Foundation

/// The commands that call language models live in a second executable, `rlmd-lm`, beside `rlmd`:
/// linking the network stack (libcurl, FoundationNetworking) makes the dynamic loader map about
/// 30 more libraries at every start, which cost the store commands ~5 ms each (a no-change
/// `rlmd index` is meant to cost about a `git status`). `rlmd` hands these commands to `rlmd-lm`
/// before parsing; its help lists them from here.
public enum ModelCommands {
    public static let executableName = "rlmd-lm"

    public struct Entry: Sendable {
        public var name: String
        public var abstract: String
    }

    public static let complete = Entry(name: "complete", abstract: "Send one prompt to the configured model and print the reply.")
    public static let doctor = Entry(
        name: "doctor",
        abstract: "Check the REPL sandbox and show what is configured; check that each model provider answers (exit 1 when one does not).")
    public static let models = Entry(name: "models", abstract: "Manage the offline model.")
    public static let ask = Entry(name: "ask", abstract: "Answer a question about a workspace or session with a recursive language model.")
    public static let summarizeSession = Entry(
        name: "summarize-session", abstract: "Summarize an AI-coding session: goal, decisions, files, commands, TODOs, state.")
    public static let trajectory = Entry(name: "trajectory", abstract: "Show what a question did, turn by turn (or list recent ones).")
    public static let serve = Entry(name: "serve", abstract: "Serve editors over stdio: JSON-RPC with LSP framing (rlm/ask, rlm/status, ...).")
    public static let mcp = Entry(name: "mcp", abstract: "Serve MCP clients (Claude Code, Cursor) over stdio: ask_repo, follow_up, summarize_session, grep, read, search.")
    public static let benchLM = Entry(
        name: "lm", abstract: "Time model calls against a server: prints {calls, concurrency, median_ms, p99_ms, total_s}.")
    public static let benchOolong = Entry(
        name: "oolong", abstract: "OOLONG-style aggregation over TREC questions: RLM vs the RLM without sub-calls vs the model alone.")
    public static let benchNeedle = Entry(
        name: "niah", abstract: "Needles in a haystack (RULER's single and multi-key shapes), in generated prose or a repository.")
    public static let benchRepoQA = Entry(
        name: "repoqa", abstract: "Questions with reference answers about a repository, graded by an LLM judge.")
    public static let benchPerf = Entry(
        name: "perf", abstract: "rlmd's own overhead with a model that answers at once: REPL start, per turn, per sub-call, memory.")
    public static let benchCompare = Entry(name: "compare", abstract: "Two bench runs (--out folders) side by side.")

    /// The subcommands of `rlmd bench` that `rlmd-lm` runs.
    public static let bench = [benchLM, benchOolong, benchNeedle, benchRepoQA, benchPerf, benchCompare]

    /// The top-level commands of `rlmd-lm` (its `bench` commands sit under `rlmd bench`).
    public static let topLevel = [ask, summarizeSession, trajectory, serve, mcp, complete, doctor, models]

    /// Whether `arguments` (without the program name) name a command of `rlmd-lm`.
    public static func isForwarded(_ arguments: [String]) -> Bool {
        var words = arguments.drop { $0.hasPrefix("-") }
        if words.first == "help" { words = words.dropFirst() }
        guard let first = words.first else { return false }
        if topLevel.contains(where: { $0.name == first }) { return true }
        return first == "bench" && bench.contains { $0.name == words.dropFirst().first }
    }

    /// `rlmd-lm` in the folder of the running executable. Plain `readlink`: Foundation's file and
    /// URL types took over a millisecond to set up, on the path of every model command.
    public static func executablePath() -> String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let length = buffer.withUnsafeMutableBufferPointer { readlink("/proc/self/exe", $0.baseAddress!, $0.count) }
        let me = length > 0 ? String(decoding: buffer[..<length], as: UTF8.self) : CommandLine.arguments[0]
        let folder = me.lastIndex(of: "/").map { String(me[..<$0]) } ?? "."
        return folder + "/" + executableName
    }
}
