import ContextStore
import Foundation

/// Lines between rlmd and `repl_runtime.py` (see the protocol comment at the top of that file).
enum ReplMessage {
    /// Everything the runtime may send; which fields are set depends on `type`.
    struct Incoming: Decodable {
        var type: IncomingKind
        var id: Int?
        // request
        var method: String?
        var params: Params?
        // done
        var stdout: String?
        var stderr: String?
        var error: String?
        var final: String?
        var ms: Double?
        // ready
        var python: String?
        var chars: Int?
        var docs: Int?
        var load: String?
        var standins: Int?
        var limits: [String: Int]?
        var uid: Int?

        struct Params: Decodable {
            var prompt: String?
            var prompts: [String]?
            var model: String?
            var context: String?
            var query: String?
            var k: Int?
        }

        static func decode(_ line: Data) -> Result<Incoming, DecodeFailure> {
            do {
                return .success(try JSONDecoder().decode(Incoming.self, from: line))
            } catch let failure as DecodeFailure {
                return .failure(failure)
            } catch {
                return .failure(.malformed)
            }
        }
    }

    struct Init: Encodable {
        var type = OutgoingKind.initialize
        var records: [[Int]]
        var total_chars: Int
        var all_ascii: Bool
        var exact: Bool
        /// fd 6 holds the store's copy of the text as the str holds it (`ContextCopy`) beside the records on fd 5.
        var copy: Bool = false
        var docs: [ReplContext.DocRow]
        var limits: [String: Int]
        var output_limit: Int
        var cwd: String
    }

    struct Exec: Encodable {
        var type = OutgoingKind.exec
        var id: Int
        var code: String
        var limit: Int
    }

    struct Interrupt: Encodable {
        var type = OutgoingKind.interrupt
    }

    struct Reply: Encodable {
        var type = OutgoingKind.reply
        var id: Int
        var ok: Bool
        var value: Value?
        var error: String?

        enum Value: Encodable {
            case text(String)
            /// One per prompt of a batch: a string, or `{"error": ...}`.
            case batch([BatchItem])
            case hits([SearchHit])

            func encode(to encoder: Encoder) throws {
                switch self {
                case .text(let text): try text.encode(to: encoder)
                case .batch(let items): try items.encode(to: encoder)
                case .hits(let hits): try hits.encode(to: encoder)
                }
            }
        }

        enum BatchItem: Encodable, Sendable {
            case text(String)
            case failure(String)

            func encode(to encoder: Encoder) throws {
                switch self {
                case .text(let text): try text.encode(to: encoder)
                case .failure(let message): try ["error": message].encode(to: encoder)
                }
            }
        }
    }

    static func line(_ message: some Encodable) -> Data {
        // Encoding our own plain structs cannot fail.
        var data = (try? JSONEncoder().encode(message)) ?? Data("{}".utf8)
        data.append(10)
        return data
    }
}

/// What the REPL reported when it became ready (`rlmd exec --json` prints it as `ExecCommand.Report.Ready`).
public struct ReplReady: Sendable, Equatable {
    public var python: String
    public var chars: Int
    public var documents: Int
    /// How the context string was built: "filled" (read into the str's buffer), "filled-bmp" (so,
    /// with chars above U+FFFF as stand-ins), "mapped" (the store's copy mapped as its buffer), "cached" (that copy read into it), "narrowed" (a copy of Latin-1 chars only, as a 1-byte str), "decoded", "empty".
    public var load: String
    /// Chars above U+FFFF that `context` holds as U+FFFD (`ReplOptions.exactText` off).
    public var standins: Int
    /// Milliseconds from spawning the sandbox to ready, and of that, loading the context.
    public var startMs: Double
    public var loadMs: Double
    /// Soft rlimits in force inside the sandbox (-1: unlimited).
    public var limits: [String: Int]
    public var uid: Int
    public var sandbox: Sandbox.Mode
}
