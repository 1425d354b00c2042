import ContextStore
import Foundation
import RLMSupport

/// Requests from model code: `search` answered from the snapshot, sub-calls handed to the caller's
/// handler, batches answered concurrently and returned in order.
extension ReplProcess {
    func answer(_ message: ReplMessage.Incoming, cell: Int, connection: ReplConnection) {
        guard let id = message.id else { return }
        let params = message.params
        let subCalls = subCalls, snapshot = context.snapshot, concurrency = max(1, options.batchConcurrency)
        let task = Task.detached {
            let reply: ReplMessage.Reply
            switch message.method.flatMap(ReplRequestKind.init(rawValue:)) {
            case .search:
                // Off the pool: the first search of a session may wait for its index to catch up.
                reply = await OffPool.run { Self.search(id: id, params: params, snapshot: snapshot) }
            case .llmQuery:
                reply = await Self.single(id: id, .llmQuery(prompt: params?.prompt ?? "", model: params?.model), subCalls)
            case .rlmQuery:
                reply = await Self.single(id: id, .rlmQuery(prompt: params?.prompt ?? "", context: params?.context), subCalls)
            case .llmQueryBatched:
                let items = await Self.batch(params?.prompts ?? [], model: params?.model, request: id, concurrency: concurrency, subCalls)
                reply = ReplMessage.Reply(id: id, ok: true, value: .batch(items))
            case nil:
                reply = ReplMessage.Reply(id: id, ok: false, error: "unknown request \(message.method ?? "")")
            }
            _ = connection.send(reply)
        }
        // Cancelled when the cell ends, or now if it has (closed while its last lines were read).
        if !updateCell(cell, { $0.requests.append(task) }) { task.cancel() }
    }

    private static func search(id: Int, params: ReplMessage.Incoming.Params?, snapshot: ContextSnapshot?) -> ReplMessage.Reply {
        guard let snapshot else {
            return ReplMessage.Reply(id: id, ok: false, error: "search needs an indexed context; this REPL holds plain text")
        }
        do {
            let hits = try snapshot.search(params?.query ?? "", limit: max(1, min(params?.k ?? 20, 1000)))
            return ReplMessage.Reply(id: id, ok: true, value: .hits(hits))
        } catch {
            return ReplMessage.Reply(id: id, ok: false, error: error.description)
        }
    }

    private static func single(id: Int, _ call: SubCall, _ handler: @escaping SubCallHandler) async -> ReplMessage.Reply {
        do {
            return ReplMessage.Reply(id: id, ok: true, value: .text(try await handler(call)))
        } catch {
            return ReplMessage.Reply(id: id, ok: false, error: "\(error)")
        }
    }

    /// Answers every prompt with at most `concurrency` in flight; results in prompt order.
    private static func batch(_ prompts: [String], model: String?, request: Int, concurrency: Int,
                              _ handler: @escaping SubCallHandler) async -> [ReplMessage.Reply.BatchItem] {
        // Each child returns its own position; a (Int, enum) tuple as the group's element type
        // came back with a garbage index in release builds here (Swift 6.3.1).
        struct Answer: Sendable {
            var index: Int
            var item: ReplMessage.Reply.BatchItem
        }
        let answers = await withTaskGroup(of: Answer.self) { group in
            var collected = [ReplMessage.Reply.BatchItem](repeating: .failure("not answered"), count: prompts.count)
            for (index, prompt) in prompts.enumerated() {
                if index >= concurrency, let answer = await group.next() { collected[answer.index] = answer.item }
                let position = BatchPosition(request: request, index: index, count: prompts.count)
                group.addTask {
                    do { return Answer(index: index, item: .text(try await handler(.llmQuery(prompt: prompt, model: model, batch: position)))) }
                    catch { return Answer(index: index, item: .failure("\(error)")) }
                }
            }
            for await answer in group { collected[answer.index] = answer.item }
            return collected
        }
        return answers
    }
}
