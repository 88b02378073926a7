import Foundation
import Testing

@testable import ShenzhouData

@Suite struct ConcurrencyTests {
  final class Payload: @unchecked Sendable {
    let value: Int
    init(_ value: Int) { self.value = value }
  }

  @Test func queueIsFirstInFirstOut() {
    let queue = BlockingQueue<Int>(capacity: 3)
    let producer = JoinableThread(name: "test-producer") {
      for value in 0..<100 { queue.push(value) }
      queue.close()
    }
    var received: [Int] = []
    while let value = queue.pop() { received.append(value) }
    producer.join()
    #expect(received == Array(0..<100))
  }

  @Test func poppedElementsAreReleased() {
    let queue = BlockingQueue<Payload>(capacity: 4)
    weak var first: Payload?
    do {
      let payload = Payload(1)
      first = payload
      queue.push(payload)
      queue.push(Payload(2))
    }
    #expect(first != nil)
    _ = queue.pop()
    #expect(first == nil)
  }

  @Test func closedQueueDrainsThenEnds() {
    let queue = BlockingQueue<Int>(capacity: 2)
    queue.push(1)
    queue.close()
    #expect(!queue.push(2))
    #expect(queue.pop() == 1)
    #expect(queue.pop() == nil)
  }

  @Test func orderedResultsComeOutInIndexOrder() {
    let results = OrderedResults<Int>()
    let workers = (0..<3).map { worker in
      JoinableThread(name: "test-worker-\(worker)") {
        for index in stride(from: 29 - worker, through: 0, by: -3) {
          results.put(index * 10, at: index)
        }
      }
    }
    results.finish(count: 30)
    var received: [Int] = []
    var index = 0
    while let value = results.take(index) {
      received.append(value)
      index += 1
    }
    for worker in workers { worker.join() }
    #expect(received == (0..<30).map { $0 * 10 })
  }

  @Test func cancelledGateReleasesWaiters() {
    let gate = CountingGate(limit: 1)
    #expect(gate.acquire())
    let waiter = JoinableThread(name: "test-waiter") {
      #expect(!gate.acquire())
    }
    Thread.sleep(forTimeInterval: 0.05)
    gate.cancel()
    waiter.join()
    #expect(gate.isCancelled)
  }
}
