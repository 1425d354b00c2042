import ArgumentParser
import ContextStore
import Foundation
import REPL

/// An error a command reports as one line on stderr with its own exit code.
public protocol CommandLineError: Error {
    var exitCode: Int32 { get }
    var message: String { get }
}

/// Runs a command and turns every failure into rlmd's exit codes: 0 success, 1 nothing
/// found, 2 usage or input error with one line on stderr.
public enum CommandLineRunner {
    public static func run(_ root: any ParsableCommand.Type, arguments: [String]) async -> Int32 {
        do {
            var command = try root.parseAsRoot(arguments)
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
            return 0
        } catch let exit as ExitCode {
            return exit.rawValue
        } catch let error as CommandLineError {
            return fail(error.message, code: error.exitCode)
        } catch {
            let code = root.exitCode(for: error)
            if code == .success {
                // --help and --version.
                print(root.fullMessage(for: error))
                return 0
            }
            let names = root.configuration.subcommands.compactMap { $0.configuration.commandName }
            let subcommand = arguments.first.flatMap { names.contains($0) ? $0 : nil }
            let hint = subcommand.map { "rlmd \($0) --help" } ?? "rlmd --help"
            return fail("\(root.message(for: error)) (see `\(hint)`)")
        }
    }

    private static func fail(_ message: String, code: Int32 = 2) -> Int32 {
        let line = message.split(separator: "\n").joined(separator: "; ")
        StandardStreams.err("rlmd: \(line)\n")
        return code
    }
}

/// An input error detected by the CLI itself.
public struct CLIError: CommandLineError {
    public var message: String
    public var exitCode: Int32 { 2 }
    public init(_ message: String) { self.message = message }
}

extension StoreError: CommandLineError {
    public var exitCode: Int32 { 2 }
    public var message: String { description }
}

extension ReplError: CommandLineError {
    public var exitCode: Int32 { 2 }
    public var message: String { description }
}
