import CLISupport
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
if ModelCommands.isForwarded(arguments) {
    let path = ModelCommands.executablePath()
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    execv(path, argv)
    StandardStreams.err("rlmd: cannot run \(path) (\(String(cString: strerror(errno)))): it must sit beside rlmd\n")
    exit(2)
}
CLILogging.bootstrapForCLI()
exit(await CommandLineRunner.run(RLMDCommand.self, arguments: arguments))
