import ArgumentParser
import ContextStore
import Foundation
import Logging

CLILogging.bootstrapForCLI()
exit(CommandLineRunner.run(RLMDCommand.self, arguments: Array(CommandLine.arguments.dropFirst())))
