import Foundation

// MARK: - Bounded blocking queue

/// Bounded FIFO queue for handing work between threads. `push` blocks while the queue is full and
/// `pop` blocks while it is empty. After `close()`, pushes are dropped and `pop` drains what is left,
/// then returns nil.
final class BlockingQueue<Element: Sendable>: @unchecked Sendable {
  private let condition = NSCondition()
  /// Ring buffer; a slot is set back to nil when its element is popped, so the queue never keeps
  /// a consumed element alive.
  private var slots: [Element?]
  private var head = 0
  private var count = 0
  private var closed = false

  init(capacity: Int) {
    precondition(capacity > 0, "BlockingQueue needs a positive capacity")
    slots = Array(repeating: nil, count: capacity)
  }

  /// Appends `element`, waiting for space. Returns false, dropping the element, when the queue is closed.
  @discardableResult
  func push(_ element: Element) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    while !closed, count == slots.count {
      condition.wait()
    }
    guard !closed else { return false }
    slots[(head + count) % slots.count] = element
    count += 1
    condition.broadcast()
    return true
  }

  /// Removes the oldest element, waiting for one. Returns nil once the queue is closed and empty.
  func pop() -> Element? {
    condition.lock()
    defer { condition.unlock() }
    while count == 0, !closed {
      condition.wait()
    }
    guard count > 0 else { return nil }
    let element = slots[head]
    slots[head] = nil
    head = (head + 1) % slots.count
    count -= 1
    condition.broadcast()
    return element
  }

  /// Closes the queue and wakes every waiting thread.
  func close() {
    condition.lock()
    closed = true
    condition.broadcast()
    condition.unlock()
  }
}

// MARK: - Ordered results

/// Collects results that worker threads finish out of order and hands them out by index, so the
/// consumer receives them in submission order whatever the thread count.
final class OrderedResults<Element: Sendable>: @unchecked Sendable {
  private let condition = NSCondition()
  private var pending: [Int: Element] = [:]
  private var total: Int?
  private var cancelled = false

  /// Stores the result for `index`.
  func put(_ element: Element, at index: Int) {
    condition.lock()
    pending[index] = element
    condition.broadcast()
    condition.unlock()
  }

  /// Records that indices `0..<count` are all that will arrive.
  func finish(count: Int) {
    condition.lock()
    total = count
    condition.broadcast()
    condition.unlock()
  }

  /// Wakes the consumer; later `take` calls return nil.
  func cancel() {
    condition.lock()
    cancelled = true
    condition.broadcast()
    condition.unlock()
  }

  /// Removes and returns the result for `index`, waiting for it. Returns nil when `index` is past the
  /// finished count or the collection was cancelled.
  func take(_ index: Int) -> Element? {
    condition.lock()
    defer { condition.unlock() }
    while true {
      if cancelled { return nil }
      if let element = pending.removeValue(forKey: index) { return element }
      if let total, index >= total { return nil }
      condition.wait()
    }
  }
}

// MARK: - Counting gate

/// Counting semaphore that bounds how many items are in flight, with cancellation that releases every
/// waiter.
final class CountingGate: @unchecked Sendable {
  private let condition = NSCondition()
  private var available: Int
  private var cancelled = false

  init(limit: Int) {
    precondition(limit > 0, "CountingGate needs a positive limit")
    available = limit
  }

  /// Takes one slot, waiting for it. Returns false when the gate was cancelled.
  func acquire() -> Bool {
    condition.lock()
    defer { condition.unlock() }
    while available == 0, !cancelled {
      condition.wait()
    }
    guard !cancelled else { return false }
    available -= 1
    return true
  }

  func release() {
    condition.lock()
    available += 1
    condition.broadcast()
    condition.unlock()
  }

  func cancel() {
    condition.lock()
    cancelled = true
    condition.broadcast()
    condition.unlock()
  }

  var isCancelled: Bool {
    condition.lock()
    defer { condition.unlock() }
    return cancelled
  }
}

// MARK: - Threads

/// Runs a closure on a new thread and lets another thread wait for it to end.
final class JoinableThread: @unchecked Sendable {
  private let done = DispatchSemaphore(value: 0)
  private var joined = false

  init(name: String, body: @escaping @Sendable () -> Void) {
    let done = self.done
    let thread = Thread {
      body()
      done.signal()
    }
    thread.name = name
    thread.start()
  }

  /// Waits for the closure to return; later calls return at once. Call it from one thread only,
  /// because the flag that makes repeated calls safe is not synchronized.
  func join() {
    guard !joined else { return }
    joined = true
    done.wait()
  }
}
