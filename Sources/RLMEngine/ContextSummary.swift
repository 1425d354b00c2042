import ContextStore
import Foundation
import REPL

/// What the root model is told about the context instead of the context itself: its kind and
/// size, a compact tree of its documents, and the head of its README.
enum ContextSummary {
    /// `exactText`: the REPL's `context` holds every char as it is (`ReplOptions.exactText`).
    static func describe(_ context: ReplContext, exactText: Bool = false) -> String {
        let standins = exactText ? nil : standinNote(context)
        return [describeContent(context), standins].compactMap { $0 }.joined(separator: "\n\n")
    }

    /// Said when `context` may hold stand-ins: only a context with non-ASCII text can.
    static func standinNote(_ context: ReplContext) -> String? {
        let mayHold = switch context {
        case .text(let text, _): text.utf8.count != text.unicodeScalars.count
        case .store(let snapshot): snapshot.documents.contains { !$0.isASCII }
        }
        guard mayHold else { return nil }
        return """
            In `context`, each char above U+FFFF (emoji and the like) is one U+FFFD, so offsets match `docs` \
            and the index; `read()`, `grep()` and `exact_text(start, end)` give the exact text.
            """
    }

    private static func describeContent(_ context: ReplContext) -> String {
        switch context {
        case .text(let text, let name):
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
            return """
                Context: plain text named \(name): \(text.unicodeScalars.count) chars, \(lines) lines, \
                about \((text.utf8.count + 3) / 4) tokens. It is one document.
                """
        case .store(let snapshot):
            let tokens = snapshot.documents.reduce(0) { $0 + $1.tokens }
            let isSession = context.isSession
            var parts = ["""
                Context: \(isSession ? "an AI-coding session history" : "a repository") at \(snapshot.root): \
                \(snapshot.totalChars) chars in \(snapshot.documents.count) documents, about \(tokens) tokens.
                """]
            parts.append(isSession ? sessionOutline(snapshot) : tree(snapshot))
            if !isSession, let readme = readmeHead(snapshot) { parts.append(readme) }
            return parts.joined(separator: "\n\n")
        }
    }

    /// Folders with their file counts, two levels deep, largest first; at most ~50 lines.
    static func tree(_ snapshot: ContextSnapshot, limit: Int = 50) -> String {
        var top: [String: (files: Int, children: [String: Int])] = [:]
        var rootFiles: [String] = []
        for document in snapshot.documents {
            let components = document.path.split(separator: "/", maxSplits: 2).map(String.init)
            guard components.count > 1 else {
                rootFiles.append(document.path)
                continue
            }
            var entry = top[components[0], default: (0, [:])]
            entry.files += 1
            if components.count > 2 { entry.children[components[1], default: 0] += 1 }
            top[components[0]] = entry
        }
        var lines = ["Documents (folders with file counts):"]
        for (folder, entry) in top.sorted(by: { $0.value.files > $1.value.files }) {
            guard lines.count < limit else { lines.append("  …"); break }
            lines.append("  \(folder)/ (\(entry.files))")
            for (child, count) in entry.children.sorted(by: { $0.value > $1.value }).prefix(6) {
                lines.append("    \(folder)/\(child)/ (\(count))")
            }
        }
        if !rootFiles.isEmpty {
            lines.append("  files at the top: " + rootFiles.prefix(20).joined(separator: ", ") + (rootFiles.count > 20 ? ", …" : ""))
        }
        return lines.joined(separator: "\n")
    }

    static func sessionOutline(_ snapshot: ContextSnapshot) -> String {
        var roles: [String: Int] = [:], tools: [String: Int] = [:]
        for document in snapshot.documents {
            roles[document.role ?? "other", default: 0] += 1
            if let tool = document.toolName { tools[tool, default: 0] += 1 }
        }
        let stamps = snapshot.documents.compactMap(\.timestamp)
        var lines = ["Messages by role: " + roles.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")]
        if let first = stamps.min(), let last = stamps.max() { lines.append("From \(first) to \(last).") }
        if !tools.isEmpty {
            lines.append("Tools used: " + tools.sorted { $0.value > $1.value }.prefix(12).map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        lines.append("Documents are messages named #<n> (agent-<id>#<n> for subagents), in order.")
        return lines.joined(separator: "\n")
    }

    static func readmeHead(_ snapshot: ContextSnapshot, lines: Int = 20) -> String? {
        guard let readme = snapshot.documents.first(where: { !$0.path.contains("/") && $0.path.lowercased().hasPrefix("readme") }),
              let head = try? snapshot.lines(path: readme.path, startLine: 1, endLine: min(lines, max(readme.lineCount, 1)))
        else { return nil }
        return "First lines of \(readme.path):\n\(head)"
    }
}

extension ReplContext {
    /// A session history (its documents are messages) rather than a repository or plain text.
    var isSession: Bool { snapshot?.documents.contains { $0.session != nil } ?? false }
}
