import ArgumentParser
import CLISupport

// `rlmd` never runs these: `main` hands their command lines to `rlmd-lm` (see `ModelCommands`).
// They exist so that `rlmd --help` lists every command.

struct CompleteEntry: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: ModelCommands.complete.name, abstract: ModelCommands.complete.abstract)
}

struct DoctorEntry: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: ModelCommands.doctor.name, abstract: ModelCommands.doctor.abstract)
}

struct ModelsEntry: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: ModelCommands.models.name, abstract: ModelCommands.models.abstract)
}

struct BenchLMEntry: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: ModelCommands.benchLM.name, abstract: ModelCommands.benchLM.abstract)
}

struct BenchOolongEntry: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: ModelCommands.benchOolong.name, abstract: ModelCommands.benchOolong.abstract)
}

struct BenchNeedleEntry: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: ModelCommands.benchNeedle.name, abstract: ModelCommands.benchNeedle.abstract)
}

struct BenchRepoQAEntry: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: ModelCommands.benchRepoQA.name, abstract: ModelCommands.benchRepoQA.abstract)
}

struct BenchPerfEntry: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: ModelCommands.benchPerf.name, abstract: ModelCommands.benchPerf.abstract)
}

struct BenchCompareEntry: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: ModelCommands.benchCompare.name, abstract: ModelCommands.benchCompare.abstract)
}

struct AskEntry: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: ModelCommands.ask.name, abstract: ModelCommands.ask.abstract)
}

struct SummarizeSessionEntry: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: ModelCommands.summarizeSession.name, abstract: ModelCommands.summarizeSession.abstract)
}

struct TrajectoryEntry: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: ModelCommands.trajectory.name, abstract: ModelCommands.trajectory.abstract)
}

struct ServeEntry: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: ModelCommands.serve.name, abstract: ModelCommands.serve.abstract)
}

struct MCPEntry: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: ModelCommands.mcp.name, abstract: ModelCommands.mcp.abstract)
}
