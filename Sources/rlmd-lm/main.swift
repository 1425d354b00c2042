import CLISupport
import Foundation

CLILogging.bootstrapForCLI()
exit(await CommandLineRunner.run(RLMDModelCommand.self, arguments: Array(CommandLine.arguments.dropFirst())))
