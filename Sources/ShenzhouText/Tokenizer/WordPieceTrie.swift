// MARK: - Trie

/// Prefix tree over Unicode scalars that finds the longest vocabulary entry starting at a position.
///
/// Node 0 is the root for word-initial pieces and node 1 the root for continuation pieces (entries
/// that start with the continuation prefix, stored without it). Children of the two roots with
/// scalars below U+10000 sit in direct tables; every other edge lives in an open-addressing hash
/// table keyed by `(node << 21) | scalar`.
struct WordPieceTrie: Sendable {
  static let initialRoot: Int32 = 0
  static let continuationRoot: Int32 = 1

  /// Token id ending at each node, or -1.
  private(set) var terminalIDs: [Int32] = [-1, -1]
  private var initialChildren = [Int32](repeating: -1, count: 0x10000)
  private var continuationChildren = [Int32](repeating: -1, count: 0x10000)
  private var edgeKeys = [UInt64](repeating: 0, count: 1 << 12)
  private var edgeChildren = [Int32](repeating: -1, count: 1 << 12)
  private var edgeCount = 0

  init() {}

  // MARK: Building

  /// Inserts `scalars` below `root`, marking the last node with `id`. A later insert of the same
  /// sequence replaces the id.
  mutating func insert(_ scalars: some Sequence<UInt32>, id: Int32, root: Int32) {
    var node = root
    for scalar in scalars {
      if let existing = child(of: node, scalar: scalar) {
        node = existing
        continue
      }
      let created = Int32(terminalIDs.count)
      terminalIDs.append(-1)
      setChild(of: node, scalar: scalar, to: created)
      node = created
    }
    terminalIDs[Int(node)] = id
  }

  private mutating func setChild(of node: Int32, scalar: UInt32, to child: Int32) {
    if node <= Self.continuationRoot && scalar < 0x10000 {
      if node == Self.initialRoot {
        initialChildren[Int(scalar)] = child
      } else {
        continuationChildren[Int(scalar)] = child
      }
      return
    }
    if (edgeCount + 1) * 2 > edgeKeys.count { growEdges() }
    let key = Self.edgeKey(node, scalar)
    var slot = Self.slot(for: key, mask: edgeKeys.count - 1)
    while edgeKeys[slot] != 0 { slot = (slot + 1) & (edgeKeys.count - 1) }
    edgeKeys[slot] = key
    edgeChildren[slot] = child
    edgeCount += 1
  }

  private mutating func growEdges() {
    let oldKeys = edgeKeys
    let oldChildren = edgeChildren
    edgeKeys = [UInt64](repeating: 0, count: oldKeys.count * 2)
    edgeChildren = [Int32](repeating: -1, count: oldKeys.count * 2)
    let mask = edgeKeys.count - 1
    for (index, key) in oldKeys.enumerated() where key != 0 {
      var slot = Self.slot(for: key, mask: mask)
      while edgeKeys[slot] != 0 { slot = (slot + 1) & mask }
      edgeKeys[slot] = key
      edgeChildren[slot] = oldChildren[index]
    }
  }

  // MARK: Lookup

  @inline(__always)
  private static func edgeKey(_ node: Int32, _ scalar: UInt32) -> UInt64 {
    // Node 0 with a scalar of 0 would give key 0 (the empty-slot marker), but root children below
    // U+10000 never reach the hash table.
    UInt64(UInt32(bitPattern: node)) << 21 | UInt64(scalar)
  }

  @inline(__always)
  private static func slot(for key: UInt64, mask: Int) -> Int {
    Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
  }

  /// Returns the child of `node` along `scalar`, or nil.
  @inline(__always)
  func child(of node: Int32, scalar: UInt32) -> Int32? {
    if node <= Self.continuationRoot && scalar < 0x10000 {
      let found = node == Self.initialRoot
        ? initialChildren[Int(scalar)] : continuationChildren[Int(scalar)]
      return found < 0 ? nil : found
    }
    let key = Self.edgeKey(node, scalar)
    let mask = edgeKeys.count - 1
    var slot = Self.slot(for: key, mask: mask)
    while true {
      let stored = edgeKeys[slot]
      if stored == key { return edgeChildren[slot] }
      if stored == 0 { return nil }
      slot = (slot + 1) & mask
    }
  }

  /// Finds the longest entry below `root` that is a prefix of `word[start..<end]`.
  /// Returns the end index of that entry in `word` and its id, or nil when no entry matches.
  @inline(__always)
  func longestMatch(
    in word: UnsafeBufferPointer<UInt32>, from start: Int, to end: Int, root: Int32
  ) -> (end: Int, id: Int32)? {
    var node = root
    var best: (end: Int, id: Int32)? = nil
    var index = start
    while index < end {
      guard let next = child(of: node, scalar: word[index]) else { break }
      node = next
      index += 1
      let id = terminalIDs[Int(node)]
      if id >= 0 { best = (index, id) }
    }
    return best
  }
}
