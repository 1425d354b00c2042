import ArgumentParser
import CLISupport
import ContextStore
import Daemon
import Foundation
import JSONRPC
import Logging
import RLMEngine

struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: ModelCommands.mcp.name, abstract: ModelCommands.mcp.abstract,
        discussion: """
            Add it to Claude Code with `claude mcp add rlmd -- rlmd mcp` (or to Cursor's mcp.json). Tools: ask_repo, \
            follow_up, summarize_session, grep, read, search. The workspace is --workspace, else the git work tree or \
            folder it is started in. Provider and models come from the environment and config file, as for `rlmd ask`.
            """)

    @Option(help: "The workspace root (default: the git work tree or folder rlmd is started in).")
    var workspace: String?

    @OptionGroup var providerOptions: ProviderOptions

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func run() async throws {
        DaemonLogging.bootstrap(level: Logger.Level(rawValue: logLevel) ?? .info)
        let cwd = FileManager.default.currentDirectoryPath
        let root = try workspace.map { try WorkspaceLocator.resolveDirectory($0, base: cwd) }
            ?? WorkspaceLocator.rootForIndexing(from: try WorkspaceLocator.resolveDirectory(cwd, base: "/"))
        try WorkspaceLocator.checkWorkspaceRoot(root)  // refused before serving, the reason on stderr
        let server = MCPServer(connection: Connection(input: STDIN_FILENO, output: ProtocolOutput.descriptor, framing: .lines), root: root,
                               setup: ModelSetup(provider: providerOptions.provider, baseURL: providerOptions.baseURL,
                                                 model: providerOptions.model), logger: Logger(label: "rlmd.mcp"))
        throw ExitCode(await server.run())
    }
}
