import ArgumentParser
import CLISupport
import ContextStore
import Foundation
import LMClient

struct CompleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: ModelCommands.complete.name,
        abstract: ModelCommands.complete.abstract,
        discussion: """
            The provider comes from --provider/--base-url or the environment: RLMD_BASE_URL (any \
            OpenAI-compatible server), ANTHROPIC_API_KEY, OPENAI_API_KEY; the model from --model or RLMD_MODEL.
            """)

    @Argument(help: "The prompt.")
    var prompt: String

    @OptionGroup var providerOptions: ProviderOptions

    @Option(name: .customLong("max-tokens"), help: "Longest reply, in tokens.")
    var maxTokens: Int?

    @Option(help: "Sampling temperature.")
    var temperature: Double?

    @Option(help: "Seconds to wait for a reply, per attempt (default: the provider's, else 300).")
    var timeout: Double?

    @Flag(help: "Print {text, model, usage: {input, output, cached}, cost_usd, cached}.")
    var json = false

    @Flag(help: "Print the reply as it arrives (server-sent events).")
    var stream = false

    @Flag(name: .customLong("no-cache"), help: "Always call the model, even for a temperature-0 request answered before.")
    var noCache = false

    struct Output: Encodable {
        struct Tokens: Encodable { var input, output, cached: Int }
        var text: String
        var model: String
        var usage: Tokens
        var cost_usd: Double?
        /// Served from the response cache.
        var cached: Bool

        enum CodingKeys: String, CodingKey { case text, model, usage, cost_usd, cached }

        /// `cost_usd` is written as null when unknown, not left out.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(text, forKey: .text)
            try container.encode(model, forKey: .model)
            try container.encode(usage, forKey: .usage)
            try container.encode(cost_usd, forKey: .cost_usd)
            try container.encode(cached, forKey: .cached)
        }
    }

    func run() async throws {
        let file = try ConfigFile.load()
        let configuration = try ProviderConfiguration.resolve(provider: providerOptions.provider, baseURL: providerOptions.baseURL,
                                                                  model: providerOptions.model, file: file)
        let localServer = try configuration.startLocalServerIfNeeded()
        defer { withExtendedLifetime(localServer) {} }
        // Temperature-0 replies are kept in $XDG_CACHE_HOME/rlmd/responses.sqlite.
        let cache = noCache ? nil : try? SQLiteResponseCache(path: StoreLocation.cacheRoot() + "/responses.sqlite")
        let client = ModelClient(api: configuration.api(localServer: localServer), timeout: timeout ?? configuration.timeout ?? 300,
                                 maxConcurrent: configuration.maxConcurrent ?? 16, prices: file.priceTable, cache: cache)
        let request = CompletionRequest(model: configuration.model, messages: [.user(prompt)], maxTokens: maxTokens,
                                        temperature: temperature)
        if stream && !json {
            try await Self.printAsItArrives(client.stream(request))
            return
        }
        let completion = try await client.complete(request)
        if json {
            try JSONOutput.print(Output(
                text: completion.text, model: completion.model,
                usage: .init(input: completion.usage.input, output: completion.usage.output, cached: completion.usage.cachedInput),
                cost_usd: completion.costUSD, cached: completion.fromCache))
        } else {
            print(completion.text)
        }
    }
}

extension CompleteCommand {
    /// Writes each piece of text straight to stdout (unbuffered), then a final newline.
    static func printAsItArrives(_ stream: AsyncThrowingStream<StreamEvent, any Error>) async throws {
        for try await event in stream {
            if case .text(let text) = event { StandardStreams.out(text) }
        }
        StandardStreams.out("\n")
    }
}
