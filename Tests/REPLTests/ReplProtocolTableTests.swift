import Foundation
@testable import REPL
import Testing

/// The table of kinds at the top of `repl_runtime.py` and the Swift enums name the same kinds, and
/// the runtime writes no kind past its table.
@Suite struct ReplProtocolTableTests {
    static func script() throws -> String {
        let url = try #require(RuntimeScript.sourceURL, "repl_runtime.py is not in the REPL's bundle")
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// The quoted names of the line `<name> = _Kinds(...)`.
    static func table(_ name: String, in script: String) throws -> [String] {
        let line = try #require(script.split(separator: "\n").first { $0.hasPrefix("\(name) = _Kinds(") },
                                "repl_runtime.py has no table \(name)")
        let arguments = line.drop { $0 != "(" }.prefix { $0 != ")" }
        // Between quotes: every second piece.
        return arguments.split(separator: "\"", omittingEmptySubsequences: false).enumerated()
            .filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }

    @Test func eachTableNamesTheKindsOfItsSwiftEnum() throws {
        let script = try Self.script()
        let pairs: [(table: String, swift: String, kinds: [String])] = [
            ("_TO_RUNTIME", "ReplMessage.OutgoingKind", ReplMessage.OutgoingKind.allCases.map(\.rawValue)),
            ("_FROM_RUNTIME", "ReplMessage.IncomingKind", ReplMessage.IncomingKind.allCases.map(\.rawValue)),
            ("_REQUESTS", "ReplRequestKind", ReplRequestKind.allCases.map(\.rawValue)),
        ]
        for pair in pairs {
            let python = try Self.table(pair.table, in: script)
            #expect(!python.isEmpty, "\(pair.table) is empty")
            let onlyInPython = python.filter { !pair.kinds.contains($0) }
            let onlyInSwift = pair.kinds.filter { !python.contains($0) }
            #expect(onlyInPython.isEmpty, "\(pair.table) has \(onlyInPython) that \(pair.swift) lacks")
            #expect(onlyInSwift.isEmpty, "\(pair.swift) has \(onlyInSwift) that \(pair.table) lacks")
        }
    }

    @Test func theRuntimeWritesNoKindOutsideItsTable() throws {
        let script = try Self.script()
        for literal in [#""type": ""#, #"type=""#, #".request(""#, #"kind == ""#] {
            #expect(!script.contains(literal), "repl_runtime.py writes a kind as a literal (\(literal)...) instead of from its table")
        }
    }
}
