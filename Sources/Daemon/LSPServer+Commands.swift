import Foundation
import JSONRPC
import RLMEngine
import RLMProtocol

/// `workspace/executeCommand`: the questions of clients that speak only standard LSP (Helix, Sublime
/// LSP, Zed), which display nothing of a command's result — so answers are also shown to them.
extension LSPServer {
    func execute(id: RequestID, _ params: ExecuteCommand.Params) async throws -> any Encodable & Sendable {
        let arguments = params.arguments ?? []
        switch params.command {
        case "rlm.ask":
            let answer = try await ask(id: id, Ask.Params(question: try Self.question(arguments), workDoneToken: params.workDoneToken))
            present(answer, question: arguments.compactMap(\.stringValue).joined(separator: " "), root: workspace?.root)
            return answer
        case "rlm.summarizeSession":
            guard arguments.count <= 1, arguments.allSatisfy({ $0.stringValue != nil }) else {
                throw ResponseError(.invalidParams, "rlm.summarizeSession takes [file] or [] (the newest Claude Code session)")
            }
            let answer = try await summarize(id: id, SummarizeSession.Params(file: arguments.first?.stringValue, workDoneToken: params.workDoneToken))
            present(answer, question: "Summary of the session", root: nil)
            return answer
        case "rlm.reindex":
            return try await index()
        default:
            throw ResponseError(.invalidParams, "unknown command \(params.command) (known: \(ExecuteCommand.commands.joined(separator: ", ")))")
        }
    }

    /// The question of `rlm.ask`: its string arguments joined by spaces, since clients send unquoted
    /// input (`:lsp-workspace-command rlm.ask where is retry`) as one argument per word.
    static func question(_ arguments: [JSONValue]) throws -> String {
        let words = arguments.compactMap(\.stringValue)
        let question = words.joined(separator: " ").trimmingCharacters(in: .whitespacesAndNewlines)
        guard words.count == arguments.count, !question.isEmpty else {
            throw ResponseError(.invalidParams, "rlm.ask takes the question as its arguments: one string, or several that are joined by spaces")
        }
        return question
    }

    /// Opens the answer as a Markdown document when the client can be asked to (`window/showDocument`),
    /// else shows its head as a message.
    private func present(_ answer: Answer, question: String, root: String?) {
        let markdown = AnswerMarkdown.render(answer, question: question, root: root)
        if clientShowsDocuments, let file = try? AnswerMarkdown.write(markdown, trajectory: answer.trajectory, environment: environment) {
            nextServerRequest += 1
            let params = ShowDocument.Params(uri: URL(fileURLWithPath: file).absoluteString, takeFocus: true)
            // Nobody waits for the client's answer: the file is written whatever it says.
            connection.send(.request(id: .string("rlmd-\(nextServerRequest)"), method: ShowDocument.method,
                                     params: (try? JSONValue(encoding: params)) ?? .null))
        } else {
            connection.notify(ShowMessage.self, .init(type: 3, message: AnswerMarkdown.head(answer)))
        }
    }
}
