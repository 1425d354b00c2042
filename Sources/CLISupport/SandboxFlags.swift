import ArgumentParser
import REPL

/// The sandbox's memory cap and text mode, as every command that starts a REPL takes them.
public struct SandboxFlags: ParsableArguments {
    @Option(name: .customLong("sandbox-memory-mb"),
            help: "Resident memory of the REPL's whole process tree, in MiB, not counting the mapped context (default: the config's [sandbox] memory_mb where the command reads it, else 2048 + 3 per MiB of context; 0: off).")
    public var memoryMB: Int?

    @Flag(name: .customLong("exact-text"),
          help: "`context` keeps chars above U+FFFF as they are (a 4-byte str: up to 4 bytes of memory per byte of context) instead of one U+FFFD each.")
    public var exactText = false

    public init() {}

    public func validate() throws {
        if let memoryMB, memoryMB < 0 { throw ValidationError("--sandbox-memory-mb must be 0 (off) or more") }
    }

    /// Sets what was given on the command line; the rest stays as `options` has it.
    public func apply(to options: inout ReplOptions) {
        if let memoryMB { options.limits.treeMemoryBytes = memoryMB << 20 }
        if exactText { options.exactText = true }
    }
}
