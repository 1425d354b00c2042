/// `window/workDoneProgress/create` (server to client): sent before a question that carried no
/// `workDoneToken` when the client declared `window.workDoneProgress`; progress follows under
/// this token once the client has answered.
public enum WorkDoneProgressCreate: RequestMethod {
    public static let method = "window/workDoneProgress/create"

    public struct Params: Codable, Sendable, Equatable {
        public var token: ProgressToken
        public init(token: ProgressToken) { self.token = token }
    }

    public typealias Result = Empty
}
