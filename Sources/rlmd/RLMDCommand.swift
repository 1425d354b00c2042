import ArgumentParser
import CLISupport
import RLMProtocol

struct RLMDCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rlmd",
        abstract: "A Recursive Language Model daemon: whole repositories and session histories as a searchable context.",
        version: RLMDVersion.current,
        subcommands: [AskEntry.self, SummarizeSessionEntry.self, TrajectoryEntry.self, IndexCommand.self, FilesCommand.self,
                      ReadCommand.self, GrepCommand.self, SearchCommand.self, SessionsCommand.self, ExecCommand.self, ServeEntry.self, MCPEntry.self,
                      CompleteEntry.self, DoctorEntry.self, ModelsEntry.self, BenchCommand.self]
    )
}
