/// Token ids with their spans in the original text, stored column-wise.
struct TokenColumns: Sendable {
  var ids: [Int32] = []
  var starts: [Int32] = []
  var ends: [Int32] = []

  var count: Int { ids.count }

  @inline(__always)
  mutating func append(id: Int32, start: Int32, end: Int32) {
    ids.append(id)
    starts.append(start)
    ends.append(end)
  }

  mutating func removeAll() {
    ids.removeAll(keepingCapacity: true)
    starts.removeAll(keepingCapacity: true)
    ends.removeAll(keepingCapacity: true)
  }

  mutating func removeLast(_ count: Int) {
    ids.removeLast(count)
    starts.removeLast(count)
    ends.removeLast(count)
  }
}

/// The BERT pre-tokenizer followed by WordPiece: splits normalized scalars into words at whitespace
/// and around punctuation, then splits each word into the longest vocabulary pieces from the left.
///
/// A word longer than `maxInputCharsPerWord` scalars, or one with a part that no piece matches,
/// becomes a single unknown token spanning the whole word.
struct WordPieceStage: NormalizedScalarSink {
  private let trie: WordPieceTrie
  private let unkID: Int32
  private let maxInputCharsPerWord: Int
  /// Normalized scalars of the current word; only the first `maxInputCharsPerWord` are kept.
  private var word: [UInt32]
  private var wordOrigins: [Int32]
  private var wordLength = 0
  private var wordStart: Int32 = 0
  private var wordEnd: Int32 = 0
  var output = TokenColumns()

  init(trie: WordPieceTrie, unkID: Int32, maxInputCharsPerWord: Int) {
    self.trie = trie
    self.unkID = unkID
    self.maxInputCharsPerWord = maxInputCharsPerWord
    word = [UInt32](repeating: 0, count: maxInputCharsPerWord)
    wordOrigins = [Int32](repeating: 0, count: maxInputCharsPerWord)
  }

  // MARK: Pre-tokenizer

  @inline(__always)
  mutating func feed(_ scalar: UInt32, flags: BertCharacterFlags, origin: Int32) {
    if flags.contains(.whitespace) {
      flushWord()
    } else if flags.contains(.punctuation) {
      flushWord()
      emitSingleScalarWord(scalar, origin: origin)
    } else {
      if wordLength == 0 { wordStart = origin }
      if wordLength < maxInputCharsPerWord {
        word[wordLength] = scalar
        wordOrigins[wordLength] = origin
      }
      wordLength += 1
      wordEnd = origin + 1
    }
  }

  @inline(__always)
  mutating func feedSpace(origin: Int32) {
    flushWord()
  }

  /// Appends a token that bypasses WordPiece, such as an added token.
  mutating func emitWhole(id: Int32, start: Int32, end: Int32) {
    flushWord()
    output.append(id: id, start: start, end: end)
  }

  // MARK: WordPiece

  @inline(__always)
  private mutating func emitSingleScalarWord(_ scalar: UInt32, origin: Int32) {
    let id: Int32
    if let node = trie.child(of: WordPieceTrie.initialRoot, scalar: scalar) {
      let terminal = trie.terminalIDs[Int(node)]
      id = terminal >= 0 ? terminal : unkID
    } else {
      id = unkID
    }
    output.append(id: id, start: origin, end: origin + 1)
  }

  @inline(__always)
  mutating func flushWord() {
    let length = wordLength
    guard length > 0 else { return }
    wordLength = 0
    if length > maxInputCharsPerWord {
      output.append(id: unkID, start: wordStart, end: wordEnd)
      return
    }
    if length == 1 {
      emitSingleScalarWord(word[0], origin: wordStart)
      return
    }
    splitWord(length: length)
  }

  private mutating func splitWord(length: Int) {
    let firstPiece = output.count
    var start = 0
    var matched = true
    word.withUnsafeBufferPointer { scalars in
      while start < length {
        let root = start == 0 ? WordPieceTrie.initialRoot : WordPieceTrie.continuationRoot
        guard let piece = trie.longestMatch(in: scalars, from: start, to: length, root: root) else {
          matched = false
          return
        }
        output.append(id: piece.id, start: wordOrigins[start], end: wordOrigins[piece.end - 1] + 1)
        start = piece.end
      }
    }
    if !matched {
      output.removeLast(output.count - firstPiece)
      output.append(id: unkID, start: wordStart, end: wordEnd)
    }
  }
}
