/// `initialized`: the client got the `initialize` result.
public enum Initialized: NotificationMethod {
    public static let method = "initialized"
    public typealias Params = JSONValue
}

/// `shutdown`: stop working; only `exit` may follow.
public enum Shutdown: RequestMethod {
    public static let method = "shutdown"
    public typealias Params = JSONValue
    public typealias Result = Empty
}

/// `exit`: the process ends, with status 0 after `shutdown` and 1 without.
public enum Exit: NotificationMethod {
    public static let method = "exit"
    public typealias Params = JSONValue
}
