/// Leftmost-longest matcher for added tokens, as the Hugging Face added vocabulary does it.
///
/// Tokens matched in the original text use a trie over UTF-8 bytes, so that a match can be tried
/// straight from the input bytes. Tokens matched in normalized text use a trie over scalars.
struct AddedTokenMatcher: Sendable {
  struct Match {
    var id: Int32
    var length: Int
    var scalarCount: Int32
    var lstrip: Bool
    var rstrip: Bool
  }

  private struct Entry: Sendable {
    var id: Int32
    var scalarCount: Int32
    var lstrip: Bool
    var rstrip: Bool
  }

  /// Edges of the byte trie, keyed by `node << 8 | byte`.
  private var byteEdges: [Int: Int] = [:]
  private var byteTerminals: [Int: Entry] = [:]
  private var byteNodeCount = 1
  /// Entry `b` is true when some raw token starts with byte `b`.
  private(set) var firstBytes = [Bool](repeating: false, count: 256)
  /// Edges of the scalar trie, keyed by `node << 21 | scalar`.
  private var scalarEdges: [Int: Int] = [:]
  private var scalarTerminals: [Int: Entry] = [:]
  private var scalarNodeCount = 1

  private(set) var hasRawTokens = false
  private(set) var hasNormalizedTokens = false
  private(set) var hasLeftStrip = false

  init() {}

  // MARK: Building

  mutating func addRaw(_ content: String, id: Int32, lstrip: Bool, rstrip: Bool) {
    guard let first = content.utf8.first else { return }
    var node = 0
    for byte in content.utf8 {
      let key = node << 8 | Int(byte)
      if let next = byteEdges[key] {
        node = next
      } else {
        byteEdges[key] = byteNodeCount
        node = byteNodeCount
        byteNodeCount += 1
      }
    }
    byteTerminals[node] = Entry(
      id: id, scalarCount: Int32(content.unicodeScalars.count), lstrip: lstrip, rstrip: rstrip)
    firstBytes[Int(first)] = true
    hasRawTokens = true
    hasLeftStrip = hasLeftStrip || lstrip
  }

  /// Adds a token matched in normalized text. `normalizedContent` is the token's own text after
  /// normalization, which is what the normalized input must contain.
  mutating func addNormalized(_ normalizedContent: [UInt32], id: Int32) {
    guard !normalizedContent.isEmpty else { return }
    var node = 0
    for scalar in normalizedContent {
      let key = node << 21 | Int(scalar)
      if let next = scalarEdges[key] {
        node = next
      } else {
        scalarEdges[key] = scalarNodeCount
        node = scalarNodeCount
        scalarNodeCount += 1
      }
    }
    scalarTerminals[node] = Entry(
      id: id, scalarCount: Int32(normalizedContent.count), lstrip: false, rstrip: false)
    hasNormalizedTokens = true
  }

  // MARK: Matching

  /// Returns the longest raw token that starts at `bytes[start]`, or nil.
  func longestRawMatch(in bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Match? {
    var node = 0
    var best: Match? = nil
    var position = start
    while position < bytes.count, let next = byteEdges[node << 8 | Int(bytes[position])] {
      node = next
      position += 1
      if let entry = byteTerminals[node] {
        best = Match(
          id: entry.id, length: position - start, scalarCount: entry.scalarCount,
          lstrip: entry.lstrip, rstrip: entry.rstrip)
      }
    }
    return best
  }

  /// Returns the longest normalized token that starts at `scalars[start]`, or nil.
  func longestNormalizedMatch(in scalars: [UInt32], at start: Int) -> Match? {
    var node = 0
    var best: Match? = nil
    var position = start
    while position < scalars.count, let next = scalarEdges[node << 21 | Int(scalars[position])] {
      node = next
      position += 1
      if let entry = scalarTerminals[node] {
        best = Match(
          id: entry.id, length: position - start, scalarCount: entry.scalarCount,
          lstrip: false, rstrip: false)
      }
    }
    return best
  }
}
