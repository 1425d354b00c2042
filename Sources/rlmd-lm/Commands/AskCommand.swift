import ArgumentParser
import CLISupport
import ContextStore
import Foundation
import REPL
import RLMEngine

struct AskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: ModelCommands.ask.name, abstract: ModelCommands.ask.abstract,
        discussion: """
            The index is brought up to date first. Progress goes to stderr; the answer, its citations (path:line, \
            checked against the index), usage and the trajectory id to stdout. Exit 0 with a complete answer, \
            1 with a partial one (a budget ran out), 2 when nothing could be asked.
            """)

    @Argument(help: "The question.")
    var question: String

    @OptionGroup var context: ContextOptions
    @OptionGroup var modelOptions: ModelOptions

    @Flag(help: "Print {answer, partial, reason, citations, usage, cost_usd, trajectory}.")
    var json = false

    func run() async throws {
        let answer = try await Asking.ask(question, task: nil, context: context, modelOptions: modelOptions)
        try AnswerOutput.print(answer, json: json)
        if answer.partial { throw ExitCode(1) }
    }
}

/// What `ask` and `summarize-session` share: open the context, start the session, print progress.
enum Asking {
    static func ask(_ question: String, task: String?, context: ContextOptions, modelOptions: ModelOptions) async throws -> RLMAnswer {
        // Model setup (config, prices, an offline server) and the index check need nothing from
        // each other: together they took 8 ms before the REPL could start.
        // (When the index check fails, the command ends without waiting for the setup.)
        let setup = Task.detached { [modelOptions] in try modelOptions.models() }
        let snapshot = try context.refreshedSnapshot()
        let (models, server) = try await setup.value
        defer { withExtendedLifetime(server) {} }
        let session = RLMSession(context: .store(snapshot), models: models, options: modelOptions.options, store: try? TrajectoryStore())
        let printer = ProgressPrinter()
        let progress = Task { for await event in session.events { printer.handle(event) } }
        defer { progress.cancel() }
        do {
            let answer = try await session.ask(question, task: task)
            await session.close()
            await progress.value
            return answer
        } catch {
            await session.close()
            throw CLIError("\(error)")
        }
    }
}
