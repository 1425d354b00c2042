/// Errors of the store that reach users; each message is one clear line.
public enum StoreError: Error, Sendable, CustomStringConvertible, Equatable {
    case workspaceNotFound(path: String)
    case notADirectory(path: String)
    case workspaceTooBroad(path: String, what: String)
    case notWritable(path: String, reason: String)
    case noIndex(path: String)
    case damaged(path: String, reason: String)
    case unknownPath(String)
    case lineOutOfRange(path: String, lines: Int, requested: ClosedRange<Int>)
    case offsetOutOfRange(offset: Int, length: Int)
    case invalidPattern(String)
    case database(String)
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .workspaceNotFound(let path): "no such folder: \(path)"
        case .notADirectory(let path): "not a folder: \(path)"
        case .workspaceTooBroad(let path, let what):
            "refusing to index \(path): it is \(what) and holds no project marker (\(WorkspaceLocator.projectMarkers.joined(separator: ", "))); "
                + "open a project folder, or add an .rlmignore there to index it anyway"
        case .notWritable(let path, let reason): "cannot write the index at \(path): \(reason)"
        case .noIndex(let path): "no index for \(path): run `rlmd index` there first"
        case .damaged(let path, let reason): "the index at \(path) is damaged (\(reason)): run `rlmd index` to rebuild it"
        case .unknownPath(let path): "not in the index: \(path)"
        case .lineOutOfRange(let path, let lines, let requested):
            "\(path) has \(lines) lines; lines \(requested.lowerBound)-\(requested.upperBound) do not exist"
        case .offsetOutOfRange(let offset, let length): "offset \(offset) is outside the context (0..<\(length))"
        case .invalidPattern(let message): "invalid pattern: \(message)"
        case .database(let message): "index database error: \(message)"
        case .io(let path, let reason): "\(path): \(reason)"
        }
    }
}
