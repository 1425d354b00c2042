import CLISupport
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == ModelCommands.serve.name || arguments.first == ModelCommands.mcp.name {
    ProtocolOutput.isolate()  // before anything can write to fd 1
} else {
    CLILogging.bootstrapForCLI()
}
exit(await CommandLineRunner.run(RLMDModelCommand.self, arguments: arguments))
