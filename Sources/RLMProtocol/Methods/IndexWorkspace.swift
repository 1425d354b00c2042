/// `rlm/index`: bring the workspace's index up to date now (it also refreshes by itself).
public enum IndexWorkspace: RequestMethod {
    public static let method = "rlm/index"
    public typealias Params = JSONValue

    public struct Result: Codable, Sendable, Equatable {
        public var files: Int
        public var bytes: Int
        public var tokens: Int
        public var changed: Int
        public var seconds: Double
        public init(files: Int, bytes: Int, tokens: Int, changed: Int, seconds: Double) {
            self.files = files
            self.bytes = bytes
            self.tokens = tokens
            self.changed = changed
            self.seconds = seconds
        }
    }
}
