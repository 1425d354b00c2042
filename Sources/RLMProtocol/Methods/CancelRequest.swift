/// `$/cancelRequest`: the request with `id` ends with error -32800 (its partial trajectory is kept).
public enum CancelRequest: NotificationMethod {
    public static let method = "$/cancelRequest"
    public struct Params: Codable, Sendable, Equatable {
        public var id: RequestID
        public init(id: RequestID) { self.id = id }
    }
}
