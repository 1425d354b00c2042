import ArgumentParser
import CLISupport
import ContextStore
import Foundation
import LMClient
import REPL
import RLMSupport

struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: ModelCommands.doctor.name, abstract: ModelCommands.doctor.abstract)

    @Flag(help: "Print a JSON object instead of lines.")
    var json = false

    @Option(help: "Seconds to wait for each provider.")
    var timeout: Double = 20

    struct ProviderCheck: Encodable {
        var name: String
        var kind: String
        var baseURL: String
        var model: String
        var ok: Bool
        var milliseconds: Int?
        var error: String?
    }

    struct SandboxCheck: Encodable {
        var mode: String
        var python: String?
        var ok: Bool
        var milliseconds: Int?
        var error: String?
        var layers: [Layer]
    }

    struct Layer: Encodable {
        var name: String
        var active: Bool
        var detail: String
    }

    struct Report: Encodable {
        var sandbox: SandboxCheck
        var configFile: String?
        var cacheRoot: String
        var responseCacheHits: Int
        var defaultProvider: String?
        var providers: [ProviderCheck]
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let file = try ConfigFile.load()
        var names = Set(file.providers?.keys.map { $0 } ?? [])
        if environment["ANTHROPIC_API_KEY"].map({ !$0.isEmpty }) == true { names.insert("anthropic") }
        if environment["OPENAI_API_KEY"].map({ !$0.isEmpty }) == true { names.insert("openai") }
        if LocalModel.isInstalled(environment) { names.insert("local") }
        var configurations: [ProviderConfiguration] = []
        if environment["RLMD_BASE_URL"].map({ !$0.isEmpty }) == true, let fromURL = try? ProviderConfiguration.resolve(file: file) {
            configurations.append(fromURL)
            names.remove(fromURL.name)
        }
        var checks: [ProviderCheck] = []
        for name in names.sorted() {
            do {
                let baseURL = file.providers?[name]?.base_url  // not RLMD_BASE_URL: that one was checked above
                configurations.append(try ProviderConfiguration.resolve(provider: name, baseURL: baseURL, file: file))
            } catch {
                checks.append(ProviderCheck(name: name, kind: file.providers?[name]?.kind ?? name, baseURL: "", model: "",
                                            ok: false, error: error.description))
            }
        }
        for configuration in configurations { checks.append(await ping(configuration, file: file)) }
        let defaultProvider = (try? ProviderConfiguration.resolve(file: file))?.name
        let hits = (try? SQLiteResponseCache(path: StoreLocation.cacheRoot() + "/responses.sqlite"))?.totalHits() ?? 0
        let sandbox = await checkSandbox()
        let report = Report(sandbox: sandbox, configFile: ConfigFile.path(), cacheRoot: StoreLocation.cacheRoot(), responseCacheHits: hits,
                            defaultProvider: defaultProvider, providers: checks)
        if json {
            try JSONOutput.print(report)
        } else {
            printLines(report)
        }
        if checks.contains(where: { !$0.ok }) || !sandbox.ok { throw ExitCode(1) }
    }

    private func printLines(_ report: Report) {
        let checks = report.providers
        let defaultProvider = report.defaultProvider
        let sandbox = report.sandbox
        let status = sandbox.ok ? "ok (python \(sandbox.python ?? "?"), cell in \(sandbox.milliseconds ?? 0) ms)" : "FAILED: \(sandbox.error ?? "")"
        print("sandbox: \(sandbox.mode): \(status)")
        for layer in sandbox.layers { print("  \(layer.active ? "+" : "-") \(layer.name): \(layer.detail)") }
        print("config file: \(report.configFile ?? "none")")
        print("cache: \(report.cacheRoot) (response cache hits so far: \(report.responseCacheHits))")
        print("default provider: \(defaultProvider ?? "none configured")")
        for check in checks {
            let status = check.ok ? "ok (\(check.milliseconds ?? 0) ms)" : "FAILED: \(check.error ?? "")"
            print("provider \(check.name) [\(check.kind) \(check.baseURL) \(check.model)]: \(status)")
        }
        if checks.isEmpty { print("no provider: set OPENAI_API_KEY, ANTHROPIC_API_KEY or RLMD_BASE_URL, or write a config file") }
    }

    /// Starts the REPL's sandbox over a one-line context and runs one cell in it.
    private func checkSandbox() async -> SandboxCheck {
        let probe = "rlmd doctor\n"
        let repl = ReplProcess(context: .text(probe))
        let verified = Sandbox.verify()  // doctor tries each tool, where a REPL start only looks for them
        var check = SandboxCheck(mode: verified.mode.rawValue, ok: false, layers: verified.layers().map { Layer(name: $0.name, active: $0.active, detail: $0.detail) })
        let started = ContinuousClock.now
        do {
            let ready = try await repl.start()
            check.python = ready.python
            if ready.sandbox != verified.mode { check.error = "the REPL ran in \(ready.sandbox.rawValue), expected \(verified.mode.rawValue)" }
            let result = try await repl.execute("len(context)", timeout: .seconds(timeout))
            if result.stdout != "\(probe.count)\n" {
                check.error = "the probe cell printed \(result.stdout.debugDescription): \(result.error ?? "")"
            }
            check.ok = check.error == nil
            check.milliseconds = Int((ContinuousClock.now - started).milliseconds)
        } catch {
            check.error = "\(error)"
        }
        await repl.close()
        return check
    }

    /// A one-token completion at temperature 0, bypassing the response cache.
    private func ping(_ configuration: ProviderConfiguration, file: ConfigFile) async -> ProviderCheck {
        var check = ProviderCheck(name: configuration.name, kind: configuration.kind.rawValue,
                                  baseURL: configuration.baseURL.absoluteString, model: configuration.model, ok: false)
        let localServer: LocalModelServer?
        do {
            localServer = try configuration.startLocalServerIfNeeded()
        } catch {
            check.error = error.description
            return check
        }
        defer { withExtendedLifetime(localServer) {} }
        let client = ModelClient(api: configuration.api(localServer: localServer), retry: RetryPolicy(maxAttempts: 1), timeout: timeout,
                                 prices: file.priceTable)
        let started = Date()
        do {
            _ = try await client.complete(CompletionRequest(model: configuration.model, messages: [.user("Say ok.")],
                                                            maxTokens: 1, temperature: 0))
            check.ok = true
            check.milliseconds = Int(Date().timeIntervalSince(started) * 1000)
        } catch {
            check.error = error.description
        }
        return check
    }
}
