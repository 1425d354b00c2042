/// The code a root-model reply asks to run: its ```repl (or ```python) blocks, in order.
///
/// Anything else — prose, other fences, a block of "output" the model imagined — is never run and
/// never read as an answer. A reply cut by the stop sequence ends inside its block; that block counts.
enum CodeBlocks {
    static let languages: Set<String> = ["repl", "python", "py", "python3"]

    private enum State {
        case prose
        case code(fence: String, lines: [Substring])
        case other(fence: String)
    }

    static func extract(_ reply: String) -> [String] { split(reply).blocks }

    /// The blocks that run, and the reply without them (prose and other fences, as the viewer shows it).
    static func split(_ reply: String) -> (blocks: [String], prose: String) {
        var blocks: [String] = []
        var prose: [Substring] = []
        var state = State.prose
        for line in reply.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            switch state {
            case .prose:
                guard trimmed.hasPrefix("```") else {
                    prose.append(line)
                    continue
                }
                let fence = String(trimmed.prefix { $0 == "`" })
                let language = trimmed.dropFirst(fence.count).trimmingCharacters(in: .whitespaces).lowercased()
                if languages.contains(language) {
                    state = .code(fence: fence, lines: [])
                } else {
                    prose.append(line)
                    state = .other(fence: fence)
                }
            case .code(let fence, var lines):
                if trimmed == fence {
                    blocks.append(lines.joined(separator: "\n"))
                    state = .prose
                } else {
                    lines.append(line)
                    state = .code(fence: fence, lines: lines)
                }
            case .other(let fence):
                prose.append(line)
                if trimmed == fence { state = .prose }
            }
        }
        if case .code(_, let lines) = state { blocks.append(lines.joined(separator: "\n")) }
        return (blocks.filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty },
                prose.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
