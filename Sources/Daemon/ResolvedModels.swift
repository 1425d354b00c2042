import Foundation
import RLMEngine

/// Models resolved once per setup and kept: resolving the offline model starts a llama.cpp server,
/// which must outlive every conversation that uses it, and one server per setup is enough.
actor ResolvedModels {
    private var resolved: [String: ModelSetup.Resolved] = [:]

    func models(for setup: ModelSetup, environment: [String: String]) async throws -> RLMModels {
        let key = [setup.provider, setup.baseURL, setup.model, setup.subModel].map { $0 ?? "" }.joined(separator: "|")
        if let known = resolved[key] { return known.models }
        let fresh = try await OffPool.run { try setup.resolve(environment: environment) }
        resolved[key] = fresh
        return fresh.models
    }
}
