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

/// What `ask` and `summarize-session` share: open the context, ask through the question service, print progress.
enum Asking {
    static func ask(_ question: String, task: String?, context: ContextOptions, modelOptions: ModelOptions) async throws -> RLMAnswer {
        let service = QuestionService(kept: 1)
        // Model setup (config, prices, an offline server) and the index check need nothing from
        // each other: together they took 8 ms before the REPL could start.
        // (When the index check fails, the command ends without waiting for the setup.)
        let setup = modelOptions.setup
        let resolving = Task { try await service.resolve(setup) }
        let snapshot = try context.refreshedSnapshot()
        if try await resolving.value.usedOfflineModel { ModelOptions.warnOfflineModel() }
        let printer = ProgressPrinter()
        do {
            let answered = try await service.ask(question, task: task, context: .store(snapshot), setup: setup,
                                                 options: modelOptions.options, progress: { printer.handle($0) })
            printer.finish()
            await service.closeAll()
            return answered.answer
        } catch {
            printer.finish()
            await service.closeAll()
            throw CLIError("\(error)")
        }
    }
}
