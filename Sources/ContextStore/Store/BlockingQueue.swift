import Foundation

/// A bounded FIFO between the reader thread and the SQLite writer, so reading runs ahead
/// of the writer by at most `capacity` items and memory stays bounded on huge trees.
final class BlockingQueue<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element?] = []
    private var head = 0
    private var finished = false
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func push(_ element: Element) {
        condition.lock()
        while items.count - head >= capacity && !finished { condition.wait() }
        items.append(element)
        condition.broadcast()
        condition.unlock()
    }

    /// Wakes the consumer once the queue drains: no more elements will come.
    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next element, or nil once finished and drained.
    func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while head == items.count && !finished { condition.wait() }
        guard head < items.count else { return nil }
        let element = items[head]
        items[head] = nil
        head += 1
        if head > 64 && head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return element
    }
}
