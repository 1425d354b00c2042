import ArgumentParser

/// `--provider`, `--base-url` and `--model`: which model answers, over the environment and config file.
struct ProviderOptions: ParsableArguments {
    @Option(help: "A provider named in the config file, or openai (any OpenAI-compatible server), anthropic, or local (the offline model).")
    var provider: String?

    @Option(name: .customLong("base-url"), help: "The provider's base URL, e.g. http://127.0.0.1:8080/v1.")
    var baseURL: String?

    @Option(help: "The model (for questions: the root model).")
    var model: String?
}
