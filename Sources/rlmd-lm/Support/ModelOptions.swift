import ArgumentParser
import CLISupport
import ContextStore
import Foundation
import LMClient
import RLMEngine

/// Provider, models and budgets of a question, from flags over the environment and config file.
/// With no provider configured, the offline model is used when installed (and the user told so).
struct ModelOptions: ParsableArguments {
    @OptionGroup var providerOptions: ProviderOptions

    @Option(name: .customLong("sub-model"), help: "The model for llm_query and child RLMs (default: RLMD_SUB_MODEL, the config's sub_model, else the root model).")
    var subModel: String?

    @Option(name: .customLong("max-iterations"), help: "Turns of the root model, across the whole tree.")
    var maxIterations = 30

    @Option(name: .customLong("max-calls"), help: "Model calls of every kind, across the whole tree.")
    var maxCalls = 300

    @Option(name: .customLong("max-usd"), help: "Spend limit in USD (calls of unknown price count as free).")
    var maxUSD: Double?

    @Option(name: .customLong("max-tokens"), help: "Input plus output tokens, across the whole tree.")
    var maxTokens: Int?

    @Option(name: .customLong("max-seconds"), help: "Wall-time limit of the question.")
    var maxSeconds: Double = 900

    @Option(name: .customLong("max-depth"), help: "Levels of RLMs: 1 makes rlm_query a plain call; 2 lets the root start child RLMs.")
    var maxDepth = 2

    @Option(name: .customLong("max-reply-tokens"), help: "Longest reply of the root model, in tokens.")
    var maxReplyTokens = 8192

    @Option(help: "Seconds each REPL cell may run.")
    var cellTimeout: Double = 120

    @OptionGroup var sandbox: SandboxFlags

    func validate() throws {
        guard maxIterations > 0, maxCalls > 0, maxSeconds > 0, maxDepth >= 1, cellTimeout > 0, maxReplyTokens > 0 else {
            throw ValidationError("--max-iterations, --max-calls, --max-seconds, --max-reply-tokens, --cell-timeout must be positive and --max-depth at least 1")
        }
        if let maxUSD, maxUSD <= 0 { throw ValidationError("--max-usd must be positive") }
    }

    var options: RLMOptions {
        var options = RLMOptions()
        options.limits.maxIterations = maxIterations
        options.limits.maxCalls = maxCalls
        options.limits.maxUSD = maxUSD
        options.limits.maxTokens = maxTokens
        options.limits.maxWallSeconds = maxSeconds
        options.maxDepth = maxDepth
        options.maxReplyTokens = maxReplyTokens
        options.repl.cellTimeout = .milliseconds(Int(cellTimeout * 1000))
        sandbox.apply(to: &options.repl)
        return options
    }

    var setup: ModelSetup {
        ModelSetup(provider: providerOptions.provider, baseURL: providerOptions.baseURL, model: providerOptions.model, subModel: subModel)
    }

    static func warnOfflineModel() {
        StandardStreams.err("""
            rlmd: no provider is configured; using the offline model (SmolLM2-135M): it runs the plumbing, \
            its answers are not useful. Set OPENAI_API_KEY, ANTHROPIC_API_KEY or RLMD_BASE_URL for real answers.\n
            """)
    }
}
