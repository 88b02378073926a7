/// Words added on top of the compiled dictionary, as jieba's `add_word` adds them to its
/// prefix dictionary: the word gets the given frequency, and each of its prefixes that the
/// dictionary lacks becomes a prefix entry with frequency 0.
///
/// The overlay is a small trie of its own, so adding a word costs time proportional to its
/// length and never copies the compiled dictionary. Node 0 is the root.
struct UserWordOverlay: Sendable {
  /// Child node for the key `parent << 32 | scalar`.
  private var children: [UInt64: Int32] = [:]
  /// Frequency assigned to each node's prefix by `add`, or -1 where the node is only a prefix
  /// of added words and the compiled dictionary's entry (if any) still applies.
  private var assignedFrequencies: [Int64] = [-1]
  /// Natural log of each assigned frequency, or 0 (log 1) where it is 0 or unassigned.
  private var logFrequencies: [Double] = [0]

  var isEmpty: Bool { children.isEmpty }

  /// Sets the frequency of `word`, which must not be empty.
  mutating func assign(_ word: [UInt32], frequency: Int64) {
    var node: Int32 = 0
    for scalar in word {
      let key = UInt64(UInt32(bitPattern: node)) << 32 | UInt64(scalar)
      if let existing = children[key] {
        node = existing
      } else {
        let created = Int32(truncatingIfNeeded: assignedFrequencies.count)
        children[key] = created
        assignedFrequencies.append(-1)
        logFrequencies.append(0)
        node = created
      }
    }
    assignedFrequencies[Int(node)] = frequency
    logFrequencies[Int(node)] =
      frequency > 0 ? PrefixDictionary.naturalLog(Double(frequency)) : 0
  }

  /// Returns the node for the prefix of `node` extended by `scalar`, or -1; the root is node 0.
  @inline(__always)
  func child(of node: Int32, _ scalar: UInt32) -> Int32 {
    children[UInt64(UInt32(bitPattern: node)) << 32 | UInt64(scalar)] ?? -1
  }

  /// Returns the frequency `add` assigned to the node's prefix, or -1 when it assigned none.
  @inline(__always)
  func assignedFrequency(_ node: Int32) -> Int64 { assignedFrequencies[Int(node)] }

  @inline(__always)
  func logFrequency(_ node: Int32) -> Double { logFrequencies[Int(node)] }
}
