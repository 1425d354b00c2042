/// `workspace/didChangeWatchedFiles`: files changed; the index refreshes (only what changed is read).
public enum DidChangeWatchedFiles: NotificationMethod {
    public static let method = "workspace/didChangeWatchedFiles"
    public typealias Params = JSONValue
}

/// `textDocument/didSave`: a file was saved; the index refreshes.
public enum DidSave: NotificationMethod {
    public static let method = "textDocument/didSave"
    public typealias Params = JSONValue
}
