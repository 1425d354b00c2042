import ArgumentParser
import CLISupport
import Daemon
import Foundation
import JSONRPC
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: ModelCommands.serve.name, abstract: ModelCommands.serve.abstract,
        discussion: """
            Editors start it once per workspace. JSON-RPC 2.0 with LSP's Content-Length framing on stdin/stdout; \
            logs go to stderr and to $XDG_STATE_HOME/rlmd/rlmd.log. The protocol is in protocol/README.md.
            """)

    @Flag(help: "Serve over stdin and stdout (the only transport).")
    var stdio = false

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func validate() throws {
        guard stdio else { throw ValidationError("give --stdio") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
    }

    func run() async throws {
        let output = ProtocolOutput.descriptor
        DaemonLogging.bootstrap(level: Logger.Level(rawValue: logLevel) ?? .info)
        let server = LSPServer(connection: Connection(input: STDIN_FILENO, output: output, framing: .lsp),
                               logger: Logger(label: "rlmd.daemon"))
        let status = await server.run()
        throw ExitCode(status)
    }
}

/// The real stdout, kept for protocol bytes. `main` calls `isolate()` before anything can print:
/// fd 1 then points at stderr, so a stray print (ours, a library's, a child's) cannot corrupt the stream.
enum ProtocolOutput {
    nonisolated(unsafe) private(set) static var descriptor: Int32 = STDOUT_FILENO

    static func isolate() {
        let saved = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3)
        guard saved >= 0 else { return }
        descriptor = saved
        dup2(STDERR_FILENO, STDOUT_FILENO)
    }
}
