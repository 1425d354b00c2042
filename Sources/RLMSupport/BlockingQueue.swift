import Foundation

/// A FIFO between threads, bounded by the total weight (bytes) of what it holds, so a fast
/// producer runs ahead of a slow consumer by a fixed amount of memory however big the tree.
public final class BlockingQueue<Element: Sendable>: @unchecked Sendable {  // state under `condition`
    private let condition = NSCondition()
    private var items: [(element: Element, weight: Int)?] = []
    private var head = 0
    private var weight = 0
    private var finished = false
    private let capacity: Int

    /// `capacity` is in the units of `push`'s `weight`; one element is always admitted.
    public init(capacity: Int) { self.capacity = capacity }

    public func push(_ element: Element, weight elementWeight: Int = 1) {
        condition.lock()
        while weight > 0 && weight + elementWeight > capacity && !finished { condition.wait() }
        items.append((element, elementWeight))
        weight += elementWeight
        condition.broadcast()
        condition.unlock()
    }

    /// Wakes the consumer once the queue drains: no more elements will come.
    public func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next element, or nil once finished and drained.
    public func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while head == items.count && !finished { condition.wait() }
        return take()
    }

    /// The next element if one is waiting; nil at once otherwise.
    public func popIfAny() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        return take()
    }

    private func take() -> Element? {
        guard head < items.count, let item = items[head] else { return nil }
        items[head] = nil
        head += 1
        weight -= item.weight
        if head > 64 && head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return item.element
    }
}

extension BlockingQueue {
    /// Consumes and drops everything until the producer finishes, so a producer blocked on a
    /// full queue can run to its end after the consumer gave up.
    public func drainAfterFailure() { while pop() != nil {} }
}
