import Foundation
import RLMSupport

/// A message with everything its write needs, made on the reading thread.
struct PreparedMessage: Sendable {
    var path: String
    var kind: String
    var header: String
    var text: DecodedText
    var fields: MessageFields
}

/// Imports the new lines of a line-oriented session file in two halves that run at once: a
/// thread of its own reads, parses and renders lines into prepared messages, and the caller's
/// thread (which holds the write transaction) writes them. Each half takes about as long as
/// the other, so on two cores an import takes half the time it would on one thread.
enum SessionLinePipeline {
    /// Prepared messages travel in batches of about this many bytes; the queue holds 16 of them.
    private static let batchBytes = 1 << 20

    private final class Shared: @unchecked Sendable {  // `stopped` under `lock`; `result`, `error` handed over by `done`
        private let lock = NSLock()
        private var stopped = false
        // Written by the reading thread before it signals `done`; read after the wait.
        var result: (source: SessionSource, pending: Int)?
        var error: (any Error)?

        var isStopped: Bool { lock.withLock { stopped } }
        func stop() { lock.withLock { stopped = true } }
    }

    private struct Stopped: Error {}

    /// Calls `write` with each message of the lines after `source.consumedBytes`, in order, and
    /// advances `source` past them; returns the bytes after the last complete line.
    static func run(_ source: inout SessionSource, progress: (@Sendable (IndexProgress) -> Void)?,
                    write: (PreparedMessage) throws -> Void) throws -> Int {
        let queue = BlockingQueue<[PreparedMessage]>(capacity: 16 * batchBytes)
        // Written batches go back to be freed where they were allocated: glibc frees across threads
        // under the allocating arena's lock, which the reading thread then waits on.
        let written = BlockingQueue<[PreparedMessage]>(capacity: Int.max)
        let done = DispatchSemaphore(value: 0)
        let shared = Shared()
        let start = source
        let thread = Thread {
            defer {
                queue.finish()
                done.signal()
            }
            do {
                shared.result = try read(start, into: queue, returned: written, progress: progress, stop: { shared.isStopped })
            } catch {
                shared.error = error
            }
        }
        thread.stackSize = 8 << 20  // the JSON parser recurses as deep as a record nests (up to 512)
        thread.start()
        do {
            while let batch = queue.pop() {
                for message in batch { try write(message) }
                written.push(batch)
            }
        } catch {
            shared.stop()
            queue.drainAfterFailure()
            done.wait()
            throw error
        }
        done.wait()
        if let error = shared.error { throw error }
        guard let result = shared.result else { throw Stopped() }
        source = result.source
        return result.pending
    }

    private static func read(_ start: SessionSource, into queue: BlockingQueue<[PreparedMessage]>,
                             returned: BlockingQueue<[PreparedMessage]>,
                             progress: (@Sendable (IndexProgress) -> Void)?,
                             stop: () -> Bool) throws -> (SessionSource, Int) {
        var current = start
        var batch: [PreparedMessage] = []
        var weight = 0
        let totalMiB = Int((FileStat.of(path: start.path)?.size ?? 0) >> 20)
        var reportedMiB = -1
        let pending = try LineReader.forEachLine(path: current.path, from: current.consumedBytes,
                                                 isComplete: SessionImporter.isWholeRecord) { line, endOffset in
            current.lines += 1
            current.consumedBytes = endOffset
            // Only big imports report progress; a few MiB take well under a second.
            if let progress, totalMiB >= 16, endOffset >> 20 != reportedMiB {
                reportedMiB = endOffset >> 20
                progress(IndexProgress(phase: .reading, done: reportedMiB, total: totalMiB, path: nil, unit: "MiB"))
            }
            for message in SessionImporter.parseLine(line, number: current.lines, format: current.format, stats: &current.stats) {
                let prepared = SessionImporter.prepare(message, source: &current)
                weight += prepared.text.bytes.count + 256
                batch.append(prepared)
            }
            if weight >= batchBytes {
                if stop() { throw Stopped() }
                while returned.popIfAny() != nil {}
                queue.push(batch, weight: weight)
                batch = []
                weight = 0
            }
        }
        if !batch.isEmpty { queue.push(batch, weight: weight) }
        return (current, pending)
    }
}
