// MARK: - Public API

/// One token of a text with its span in the original text.
public struct TokenSpan: Sendable, Hashable {
  public var id: Int32
  /// Vocabulary string of the token, for example `##ing` or `[UNK]`.
  public var token: String
  /// Start of the span in Unicode scalars of the original text (a Python `str` index).
  public var start: Int
  /// End of the span, exclusive.
  public var end: Int

  public init(id: Int32, token: String, start: Int, end: Int) {
    self.id = id
    self.token = token
    self.start = start
    self.end = end
  }

  public var range: Range<Int> { start..<end }
}

extension BertTokenizer {
  /// Splits `text` into tokens without adding `[CLS]` or `[SEP]`.
  public func tokenize(_ text: String) -> [TokenSpan] {
    var scratch = TokenizationScratch(tokenizer: self)
    let columns = scratch.tokenize(text)
    return (0..<columns.count).map { index in
      let id = columns.ids[index]
      return TokenSpan(
        id: id, token: token(forID: id) ?? options.unkToken,
        start: Int(columns.starts[index]), end: Int(columns.ends[index]))
    }
  }

  /// Returns the token ids of `text` without special tokens.
  public func tokenIDs(_ text: String) -> [Int32] {
    var scratch = TokenizationScratch(tokenizer: self)
    return scratch.tokenize(text).ids
  }
}

// MARK: - Scanning

/// Consumer of the normalized text of one segment between added tokens.
protocol SegmentProcessor: NormalizedScalarSink {
  mutating func endSegment()
  mutating func emitAddedToken(id: Int32, start: Int32, end: Int32)
}

extension WordPieceStage: SegmentProcessor {
  mutating func endSegment() { flushWord() }
  mutating func emitAddedToken(id: Int32, start: Int32, end: Int32) {
    emitWhole(id: id, start: start, end: end)
  }
}

/// Buffers each segment's normalized text so that added tokens with `normalized: true` can be
/// matched in it before the rest goes to WordPiece.
struct NormalizedTokenProcessor: SegmentProcessor {
  var stage: WordPieceStage
  let matcher: AddedTokenMatcher
  private var buffer = ScalarCollector()

  init(stage: WordPieceStage, matcher: AddedTokenMatcher) {
    self.stage = stage
    self.matcher = matcher
  }

  mutating func feed(_ scalar: UInt32, flags: BertCharacterFlags, origin: Int32) {
    buffer.feed(scalar, flags: flags, origin: origin)
  }

  mutating func feedSpace(origin: Int32) {
    buffer.feedSpace(origin: origin)
  }

  mutating func endSegment() {
    var index = 0
    while index < buffer.scalars.count {
      if let match = matcher.longestNormalizedMatch(in: buffer.scalars, at: index) {
        stage.emitWhole(
          id: match.id, start: buffer.origins[index],
          end: buffer.origins[index + match.length - 1] + 1)
        index += match.length
      } else {
        stage.feed(buffer.scalars[index], flags: buffer.flags[index], origin: buffer.origins[index])
        index += 1
      }
    }
    stage.flushWord()
    buffer.removeAll()
  }

  mutating func emitAddedToken(id: Int32, start: Int32, end: Int32) {
    endSegment()
    stage.emitWhole(id: id, start: start, end: end)
  }
}

/// Reusable buffers for tokenizing many texts with one tokenizer on one thread.
struct TokenizationScratch {
  private let normalizer: BertNormalizer
  private let matcher: AddedTokenMatcher
  private let table = BertCharacterTable.shared
  private var stage: WordPieceStage
  private var normalizedProcessor: NormalizedTokenProcessor?

  init(tokenizer: BertTokenizer) {
    normalizer = tokenizer.normalizer
    matcher = tokenizer.addedTokenMatcher
    stage = WordPieceStage(
      trie: tokenizer.vocabulary.trie, unkID: tokenizer.unkTokenID,
      maxInputCharsPerWord: tokenizer.options.maxInputCharsPerWord)
    if matcher.hasNormalizedTokens {
      normalizedProcessor = NormalizedTokenProcessor(stage: stage, matcher: matcher)
    }
  }

  /// Tokenizes `text` into a copy of the output columns.
  mutating func tokenize(_ text: String) -> TokenColumns {
    if var processor = normalizedProcessor {
      normalizedProcessor = nil
      processor.stage.output.removeAll()
      scan(text, into: &processor)
      let output = processor.stage.output
      normalizedProcessor = processor
      return output
    }
    stage.output.removeAll()
    scan(text, into: &stage)
    return stage.output
  }

  private func scan<Processor: SegmentProcessor>(_ text: String, into processor: inout Processor) {
    var text = text
    text.withUTF8 { bytes in
      let count = bytes.count
      let matchAdded = matcher.hasRawTokens
      let trackWhitespace = matcher.hasLeftStrip
      var position = 0
      var index: Int32 = 0
      // Start of the run of whitespace that ends at `index`, for added tokens with `lstrip`.
      var whitespaceStart: Int32 = 0
      while position < count {
        let lead = bytes[position]
        if matchAdded && matcher.firstBytes[Int(lead)],
          let match = matcher.longestRawMatch(in: bytes, at: position)
        {
          let start = match.lstrip ? whitespaceStart : index
          position += match.length
          index += match.scalarCount
          if match.rstrip {
            while position < count {
              let (scalar, length) = Self.decode(bytes, at: position)
              guard table.flags(scalar).contains(.whitespace) else { break }
              position += length
              index += 1
            }
          }
          processor.emitAddedToken(id: match.id, start: start, end: index)
          whitespaceStart = index
          continue
        }
        let (scalar, length) = Self.decode(bytes, at: position)
        normalizer.normalize(scalar, origin: index, into: &processor)
        position += length
        index += 1
        if trackWhitespace && !table.flags(scalar).contains(.whitespace) {
          whitespaceStart = index
        }
      }
      processor.endSegment()
    }
  }

  /// Decodes the scalar at `position` of valid UTF-8 (Swift strings always are).
  @inline(__always)
  private static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int) -> (UInt32, Int) {
    let lead = UInt32(bytes[position])
    if lead < 0x80 { return (lead, 1) }
    if lead < 0xE0 {
      return ((lead & 0x1F) << 6 | UInt32(bytes[position + 1] & 0x3F), 2)
    }
    if lead < 0xF0 {
      return (
        (lead & 0x0F) << 12 | UInt32(bytes[position + 1] & 0x3F) << 6
          | UInt32(bytes[position + 2] & 0x3F), 3
      )
    }
    return (
      (lead & 0x07) << 18 | UInt32(bytes[position + 1] & 0x3F) << 12
        | UInt32(bytes[position + 2] & 0x3F) << 6 | UInt32(bytes[position + 3] & 0x3F), 4
    )
  }
}
