/// The Model Context Protocol messages `rlmd mcp` answers. MCP's own specification defines them
/// (modelcontextprotocol.io), so `protocol/` does not document them; one method per file, as for LSP.
public enum MCP {}
