import Foundation
import TOMLKit

/// `~/.config/rlmd/config.toml` (or `$XDG_CONFIG_HOME/rlmd/config.toml`, or `$RLMD_CONFIG`):
///
/// ```toml
/// provider = "local"            # the default: a name below, or "openai" / "anthropic"
/// model = "gpt-5-mini"          # root model
/// sub_model = "gpt-5-nano"      # model for sub-calls
///
/// [providers.local]
/// kind = "openai"               # any OpenAI-compatible server
/// base_url = "http://127.0.0.1:8080/v1"
/// api_key_env = "LOCAL_KEY"     # the variable holding the key (keys are best kept out of files)
/// max_concurrent = 4
///
/// [depth.2]                     # models for recursive calls at depth 2
/// model = "gpt-5-nano"
///
/// [prices."my-model"]           # USD per million tokens, added to or replacing the shipped table
/// input = 0.1
/// output = 0.4
///
/// [sandbox]
/// memory_mb = 4096              # the REPL's whole process tree (default 2048 + 3 per MB of context; 0: off)
/// exact_text = true             # `context` keeps chars above U+FFFF (4 bytes per char) instead of U+FFFD
/// conversations_memory_mb = 1024 # all kept conversations' REPLs together; over it the least recently used close
/// ```
public struct ConfigFile: Sendable, Equatable, Decodable {
    public struct Provider: Sendable, Equatable, Decodable {
        public var kind: String
        public var base_url: String?
        public var api_key_env: String?
        public var api_key: String?
        public var max_concurrent: Int?
        public var timeout: Double?
    }

    public struct Sandbox: Sendable, Equatable, Decodable {
        public var memory_mb: Int?
        public var exact_text: Bool?
        public var conversations_memory_mb: Int?
    }

    public struct Depth: Sendable, Equatable, Decodable {
        public var model: String?
        public var sub_model: String?
    }

    public var provider: String?
    public var model: String?
    public var sub_model: String?
    public var providers: [String: Provider]?
    public var depth: [String: Depth]?
    public var prices: [String: ModelPrice]?
    public var sandbox: Sandbox?

    public init(toml text: String, path: String = "config.toml") throws(LMError) {
        do {
            self = try TOMLDecoder().decode(ConfigFile.self, from: text)
        } catch let error as TOMLParseError {
            throw .notConfigured("\(path):\(error.source.begin.line):\(error.source.begin.column): \(error.description)")
        } catch {
            throw .notConfigured("\(path): \(error)")
        }
    }

    public init() {}

    /// The file named by `RLMD_CONFIG`, else `$XDG_CONFIG_HOME/rlmd/config.toml`, else
    /// `~/.config/rlmd/config.toml`; an empty configuration when there is none.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws(LMError) -> ConfigFile {
        let path = location(environment: environment)
        guard FileManager.default.fileExists(atPath: path) else {
            if environment["RLMD_CONFIG"] != nil { throw .notConfigured("RLMD_CONFIG names a missing file: \(path)") }
            return ConfigFile()
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw .notConfigured("cannot read \(path)") }
        return try ConfigFile(toml: String(decoding: data, as: UTF8.self), path: path)
    }

    static func location(environment: [String: String]) -> String {
        environment["RLMD_CONFIG"]
            ?? environment["XDG_CONFIG_HOME"].map { "\($0)/rlmd/config.toml" }
            ?? "\(environment["HOME"] ?? NSHomeDirectory())/.config/rlmd/config.toml"
    }

    /// The configuration file in use, or nil when there is none.
    public static func path(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let path = location(environment: environment)
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// The shipped prices with this file's additions and overrides.
    public var priceTable: PriceTable {
        var table = PriceTable.bundled
        for (model, price) in prices ?? [:] { table.set(model, price) }
        return table
    }
}
