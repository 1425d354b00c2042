import ArgumentParser
import CLISupport
import LMClient
import RLMProtocol

/// The commands of rlmd that call language models (`rlmd` hands them over; see `ModelCommands`).
/// Named `rlmd` so usage and help read as the user typed them.
struct RLMDModelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rlmd",
        abstract: "The commands of rlmd that call language models.",
        version: RLMDVersion.current,
        subcommands: [AskCommand.self, SummarizeSessionCommand.self, TrajectoryCommand.self, ServeCommand.self, MCPCommand.self, CompleteCommand.self,
                      DoctorCommand.self, ModelsCommand.self, BenchModelsCommand.self]
    )
}

struct BenchModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        subcommands: [BenchOolongCommand.self, BenchNeedleCommand.self, BenchRepoQACommand.self, BenchPerfCommand.self,
                      BenchCompareCommand.self, BenchLMCommand.self])
}

extension LMError: CommandLineError {
    public var exitCode: Int32 {
        if case .notConfigured = self { return 2 }
        return 1
    }

    public var message: String { description }
}
