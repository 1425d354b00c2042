import ArgumentParser
import CLISupport
import Foundation
import RLMEngine

struct SummarizeSessionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: ModelCommands.summarizeSession.name, abstract: ModelCommands.summarizeSession.abstract,
        discussion: "Goal, decisions and why, files touched, commands run, open TODOs and the state at the end, citing message numbers.")

    @Argument(help: "The session file (or give --claude latest / --codex latest).")
    var file: String?

    @OptionGroup var context: ContextOptions
    @OptionGroup var modelOptions: ModelOptions

    @Flag(help: "Print {answer, partial, reason, citations, usage, cost_usd, trajectory}.")
    var json = false

    func run() async throws {
        var context = self.context
        if let file {
            guard context.workspaceOptions.session == nil, context.claude == nil, context.codex == nil else {
                throw ValidationError("give the session as FILE or with one of --session, --claude, --codex")
            }
            context.workspaceOptions.session = file
        }
        guard context.namesSession else {
            throw CLIError("name a session: FILE, --claude latest or --codex latest (see `rlmd sessions`)")
        }
        let answer = try await Asking.ask(SessionSummary.question, task: SessionSummary.task, context: context,
                                          modelOptions: modelOptions)
        try AnswerOutput.print(answer, json: json)
        if answer.partial { throw ExitCode(1) }
    }
}
