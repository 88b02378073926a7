/// The compiled prefix dictionary: a trie over Unicode scalars that contains every dictionary word
/// and every prefix of one, as jieba's prefix dictionary does.
///
/// Nodes are numbered in breadth-first order, so the children of a node are a contiguous run of
/// node ids, sorted by label. The children of node `i` are `firstChild[i]..<firstChild[i + 1]`.
/// Node 0 is the root (the empty prefix). Transitions from the root to scalars below U+10000 use a
/// dense table; deeper transitions use a binary search over the child labels.
///
/// The storage is written only by the initializer and never again, so concurrent reads are safe.
final class PrefixDictionary: @unchecked Sendable {
  // MARK: - Storage

  /// Number of trie nodes, root included.
  let nodeCount: Int
  /// Number of distinct words (nodes with a frequency above zero).
  let wordCount: Int
  /// Sum of the frequencies of all dictionary lines, repeated words counted each time (jieba's
  /// `total`).
  let total: Int64

  /// Last scalar of each node's prefix; unused for the root.
  private let labels: UnsafeMutableBufferPointer<UInt32>
  /// `nodeCount + 1` entries.
  private let firstChild: UnsafeMutableBufferPointer<Int32>
  /// Word frequency of each node; 0 for a prefix that is not a word.
  private let frequencies: UnsafeMutableBufferPointer<Int64>
  /// Natural log of each node's frequency, or 0 (log 1) where the frequency is 0.
  private let logFrequencies: UnsafeMutableBufferPointer<Double>
  /// Child of the root for each scalar below `denseRootLimit`, or -1.
  private let rootChildren: UnsafeMutableBufferPointer<Int32>

  static let denseRootLimit: UInt32 = 0x10000

  /// Takes ownership of the node arrays; `firstChild` has `labels.count + 1` entries.
  init(
    labels: [UInt32], firstChild: [Int32], frequencies: [Int64], total: Int64
  ) {
    nodeCount = labels.count
    self.total = total
    self.labels = Self.copy(labels)
    self.firstChild = Self.copy(firstChild)
    self.frequencies = Self.copy(frequencies)
    logFrequencies = .allocate(capacity: labels.count)
    var words = 0
    for node in 0..<labels.count {
      let frequency = frequencies[node]
      if frequency > 0 { words += 1 }
      logFrequencies[node] = frequency > 0 ? Self.naturalLog(Double(frequency)) : 0
    }
    wordCount = words
    rootChildren = .allocate(capacity: Int(Self.denseRootLimit))
    rootChildren.initialize(repeating: -1)
    if labels.count > 0 {
      for child in Int(firstChild[0])..<Int(firstChild[1]) where labels[child] < Self.denseRootLimit {
        rootChildren[Int(labels[child])] = Int32(child)
      }
    }
  }

  deinit {
    labels.deallocate()
    firstChild.deallocate()
    frequencies.deallocate()
    logFrequencies.deallocate()
    rootChildren.deallocate()
  }

  private static func copy<T>(_ array: [T]) -> UnsafeMutableBufferPointer<T> {
    let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(array.count, 1))
    _ = buffer.initialize(from: array)
    return buffer
  }

  // MARK: - Lookup

  /// Returns the node for the one-scalar prefix `scalar`, or -1 when no word starts with it.
  @inline(__always)
  func rootChild(_ scalar: UInt32) -> Int32 {
    if scalar < Self.denseRootLimit { return rootChildren[Int(scalar)] }
    return searchChild(of: 0, scalar)
  }

  /// Returns the node for the prefix of `node` extended by `scalar`, or -1 when it is not a
  /// prefix of any word.
  @inline(__always)
  func child(of node: Int32, _ scalar: UInt32) -> Int32 {
    searchChild(of: Int(node), scalar)
  }

  @inline(__always)
  private func searchChild(of node: Int, _ scalar: UInt32) -> Int32 {
    var low = Int(firstChild[node])
    var high = Int(firstChild[node + 1])
    while low < high {
      let middle = (low &+ high) >> 1
      let label = labels[middle]
      if label == scalar { return Int32(truncatingIfNeeded: middle) }
      if label < scalar { low = middle + 1 } else { high = middle }
    }
    return -1
  }

  @inline(__always)
  func frequency(_ node: Int32) -> Int64 { frequencies[Int(node)] }

  @inline(__always)
  func logFrequency(_ node: Int32) -> Double { logFrequencies[Int(node)] }

  /// Returns the node of the whole scalar sequence, or -1 when it is not a word or prefix.
  func node<S: Sequence<UInt32>>(for scalars: S) -> Int32 {
    var node: Int32 = 0
    var isFirst = true
    for scalar in scalars {
      node = isFirst ? rootChild(scalar) : child(of: node, scalar)
      isFirst = false
      if node < 0 { return -1 }
    }
    return isFirst ? -1 : node
  }

  // MARK: - Arithmetic

  /// Computes the natural logarithm with the C library's `log`, which CPython's `math.log` also
  /// calls, so that path scores match jieba's bit for bit.
  @inline(__always)
  static func naturalLog(_ value: Double) -> Double {
    log(value)
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#elseif canImport(Musl)
  import Musl
#endif
