import ArgumentParser
import ContextStore
import Foundation
import Logging

CLILogging.bootstrapForCLI()
exit(await CommandLineRunner.run(RLMDCommand.self, arguments: Array(CommandLine.arguments.dropFirst())))
