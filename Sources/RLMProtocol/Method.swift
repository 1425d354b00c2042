/// A request: a method name and the shapes of its params and result.
public protocol RequestMethod {
    associatedtype Params: Codable & Sendable
    associatedtype Result: Codable & Sendable
    static var method: String { get }
}

/// A notification: a method name and the shape of its params.
public protocol NotificationMethod {
    associatedtype Params: Codable & Sendable
    static var method: String { get }
}

/// Params or result that are `null` on the wire.
public struct Empty: Codable, Sendable, Equatable {
    public init() {}
    public init(from decoder: Decoder) throws {}
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encodeNil()
    }
}

/// A progress token: JSON-RPC lets it be a number or a string, like a request id.
public typealias ProgressToken = RequestID

/// Every method of the protocol, for the registry test and `protocol/README.md`.
public enum ProtocolMethods {
    public static let requests: [String] = [
        Initialize.method, Shutdown.method, Ask.method, FollowUp.method, SummarizeSession.method, IndexWorkspace.method,
        Status.method, TrajectoryRequest.method, Sessions.method, ExecuteCommand.method, WorkDoneProgressCreate.method,
        ShowDocument.method,
    ]
    public static let notifications: [String] = [
        Initialized.method, Exit.method, CancelRequest.method, Progress.method, WorkDoneProgressCancel.method,
        DidChangeWatchedFiles.method, DidSave.method, ShowMessage.method,
    ]
}
