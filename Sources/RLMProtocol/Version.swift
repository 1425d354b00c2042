/// rlmd's version: what both executables' `--version` print and both servers' `serverInfo` says.
/// It lives here, the one target with no dependencies, so the CLI can import it without the daemon.
public enum RLMDVersion {
    public static let current = "0.1.0"
}

extension Initialize.ServerInfo {
    /// This server, as the LSP and MCP `initialize` results name it.
    public static let rlmd = Initialize.ServerInfo(name: "rlmd", version: RLMDVersion.current)
}
