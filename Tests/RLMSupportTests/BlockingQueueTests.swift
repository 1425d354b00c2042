import Foundation
import RLMSupport
import Testing

/// `BlockingQueue` between two threads: order kept, the producer held to the capacity.
@Suite struct BlockingQueueTests {
    @Test func aConsumerGetsEveryElementInOrderThenNil() {
        let queue = BlockingQueue<Int>(capacity: 4)
        Thread {
            for value in 0..<1000 { queue.push(value) }
            queue.finish()
        }.start()
        var received: [Int] = []
        while let value = queue.pop() { received.append(value) }
        #expect(received == Array(0..<1000))
        #expect(queue.pop() == nil)
    }

    @Test func oneElementHeavierThanTheCapacityIsStillAdmitted() {
        let queue = BlockingQueue<String>(capacity: 1)
        queue.push("big", weight: 10)
        #expect(queue.popIfAny() == "big")
        #expect(queue.popIfAny() == nil)
    }
}
