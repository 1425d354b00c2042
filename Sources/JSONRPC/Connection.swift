import Foundation
import RLMProtocol
import RLMSupport

/// One JSON-RPC peer over a pair of descriptors: one reader thread turns bytes into messages, in
/// order (`messages`); one writer thread sends what `send` queues, in order. The daemon never
/// blocks on a client that does not read: writes wait in the queue, not in the caller.
public final class Connection: @unchecked Sendable {  // queue under `condition`; `onFramingError` is set before `start()`
    public let messages: AsyncStream<Result<Message, BadMessage>>
    private let continuation: AsyncStream<Result<Message, BadMessage>>.Continuation
    private let input: Int32
    private let output: Int32
    private let framing: Framing
    private let condition = NSCondition()
    private var pending: [Data] = []
    private var closed = false
    /// Called with a framing error's text (the bytes were skipped), for the log; `messages` also
    /// carries it, as a parse error to answer with `"id": null`.
    public var onFramingError: (@Sendable (String) -> Void)?

    public init(input: Int32, output: Int32, framing: Framing) {
        self.input = input
        self.output = output
        self.framing = framing
        (messages, continuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    /// A client that goes away must end the connection, not the process: writes then fail with EPIPE.
    private static let ignoreBrokenPipes: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    /// Starts the reader and writer threads.
    public func start() {
        Self.ignoreBrokenPipes
        let reader = Thread { [self] in readLoop() }
        reader.name = "rlmd.jsonrpc.read"
        reader.start()
        let writer = Thread { [self] in writeLoop() }
        writer.name = "rlmd.jsonrpc.write"
        writer.start()
    }

    public func send(_ message: Message) {
        enqueue(message.encoded())
    }

    /// A successful response, encoded once straight from the result's type.
    public func sendResult(id: RequestID, _ result: any Encodable & Sendable) {
        do {
            enqueue(try Message.encoder.encode(ResultEnvelope(id: id, result: result)))
        } catch {
            sendError(ResponseError(.internalError, "the result could not be encoded: \(error)"), id: id)
        }
    }

    public func sendError(_ error: ResponseError, id: RequestID?) {
        if let id {
            send(.response(id: id, result: .failure(error)))
        } else {
            enqueue(Message.errorWithoutID(error))
        }
    }

    public func notify<N: NotificationMethod>(_ type: N.Type, _ params: N.Params) {
        send(.notification(method: N.method, params: (try? JSONValue(encoding: params)) ?? .null))
    }

    private func enqueue(_ body: Data) {
        condition.lock()
        if !closed { pending.append(framing.frame(body)) }
        condition.signal()
        condition.unlock()
    }

    /// Waits until every queued message is written (or the peer is gone, or `timeout` passes),
    /// without holding a thread: a client that stopped reading must not stall the caller's pool.
    public func flush(timeout: Duration = .seconds(5)) async {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let drained = condition.withLock { pending.isEmpty || closed }
            if drained { return }
            try? await Task.sleep(for: .milliseconds(2))
        }
    }

    private func readLoop() {
        var lsp = LSPFrameParser(), lines = LineFrameParser()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { DescriptorIO.read(input, into: $0) }
            guard n > 0 else { break }
            let chunk = Data(buffer[0..<n])
            let frames = framing == .lsp ? lsp.push(chunk) : lines.push(chunk)
            for frame in frames {
                switch frame {
                case .message(let body): continuation.yield(Message.parse(body))
                case .error(let text):
                    onFramingError?(text)
                    continuation.yield(.failure(BadMessage(id: nil, error: ResponseError(.parseError, text))))
                }
            }
        }
        continuation.finish()
    }

    private func writeLoop() {
        while true {
            condition.lock()
            while pending.isEmpty && !closed { condition.wait() }
            if pending.isEmpty && closed {
                condition.unlock()
                return
            }
            let next = pending.removeFirst()
            condition.unlock()
            let ok = DescriptorIO.writeAll(output, next)
            condition.lock()
            if !ok { closed = true; pending.removeAll() }
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Stops writing once the queue is empty.
    public func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}

/// `{"jsonrpc": "2.0", "id": ..., "result": ...}` for any encodable result.
struct ResultEnvelope: Encodable {
    var id: RequestID
    var result: any Encodable & Sendable

    enum Key: String, CodingKey { case jsonrpc, id, result }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode("2.0", forKey: .jsonrpc)
        try container.encode(id, forKey: .id)
        if let empty = result as? Empty {
            try container.encode(empty, forKey: .result)
        } else {
            try result.encode(to: container.superEncoder(forKey: .result))
        }
    }
}
