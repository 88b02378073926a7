// MARK: - Sink

/// Receiver of normalized scalars, each tagged with the index of the original scalar it came from.
protocol NormalizedScalarSink {
  /// Takes one normalized scalar. `flags` are the table flags of `scalar` itself.
  mutating func feed(_ scalar: UInt32, flags: BertCharacterFlags, origin: Int32)
  /// Takes one of the spaces that Chinese-character handling puts around an ideograph.
  mutating func feedSpace(origin: Int32)
}

// MARK: - Normalizer

/// The BERT normalizer of Hugging Face `tokenizers` (BertNormalizer), applied one scalar at a time.
///
/// The steps, in order:
/// 1. `clean_text` drops control and format characters and maps whitespace to U+0020.
/// 2. `handle_chinese_chars` surrounds CJK ideographs with spaces.
/// 3. Accent stripping replaces each scalar with its canonical decomposition minus nonspacing marks.
/// 4. Lowercasing applies the per-scalar Unicode lowercase mapping, without context rules such as
///    the Greek final sigma.
///
/// Every output scalar keeps the index of the input scalar it came from, which offset mapping needs.
struct BertNormalizer: Sendable {
  let cleanText: Bool
  let handleChineseChars: Bool
  let stripAccents: Bool
  let lowercase: Bool
  private let table = BertCharacterTable.shared
  /// Output scalar for each ASCII input, or -1 when `clean_text` drops it.
  private let asciiOutput: [Int32]

  init(cleanText: Bool, handleChineseChars: Bool, stripAccents: Bool, lowercase: Bool) {
    self.cleanText = cleanText
    self.handleChineseChars = handleChineseChars
    self.stripAccents = stripAccents
    self.lowercase = lowercase
    var output = [Int32](repeating: 0, count: 128)
    for scalar in 0..<128 {
      let flags = BertCharacterTable.shared.flags(UInt32(scalar))
      if cleanText && flags.contains(.removedByCleanup) {
        output[scalar] = -1
      } else if cleanText && flags.contains(.spaceAfterCleanup) {
        output[scalar] = 0x20
      } else if lowercase && (0x41...0x5A).contains(scalar) {
        output[scalar] = Int32(scalar + 0x20)
      } else {
        output[scalar] = Int32(scalar)
      }
    }
    asciiOutput = output
  }

  /// Normalizes `scalar`, the original scalar at index `origin`, into `sink`.
  @inline(__always)
  func normalize<Sink: NormalizedScalarSink>(_ scalar: UInt32, origin: Int32, into sink: inout Sink) {
    if scalar < 0x80 {
      let output = asciiOutput[Int(scalar)]
      if output >= 0 {
        let mapped = UInt32(output)
        sink.feed(mapped, flags: table.flags(mapped), origin: origin)
      }
      return
    }
    let flags = table.flags(scalar)
    if cleanText {
      if flags.contains(.removedByCleanup) { return }
      if flags.contains(.spaceAfterCleanup) {
        sink.feed(0x20, flags: .whitespace, origin: origin)
        return
      }
    }
    if handleChineseChars && flags.contains(.chinese) {
      sink.feedSpace(origin: origin)
      stripAndLowercase(scalar, flags: flags, origin: origin, into: &sink)
      sink.feedSpace(origin: origin)
      return
    }
    stripAndLowercase(scalar, flags: flags, origin: origin, into: &sink)
  }

  @inline(__always)
  private func stripAndLowercase<Sink: NormalizedScalarSink>(
    _ scalar: UInt32, flags: BertCharacterFlags, origin: Int32, into sink: inout Sink
  ) {
    guard stripAccents && !flags.isDisjoint(with: [.nonspacingMark, .decomposes]) else {
      lowercase(scalar, flags: flags, origin: origin, into: &sink)
      return
    }
    if flags.contains(.nonspacingMark) { return }
    if (0xAC00...0xD7A3).contains(scalar) {
      // Hangul syllables decompose arithmetically into leading consonant, vowel and optional
      // trailing consonant jamo (Unicode 3.12); none of the jamo has a lowercase form.
      let index = scalar - 0xAC00
      let leading = 0x1100 + index / 588
      let vowel = 0x1161 + (index % 588) / 28
      let trailing = index % 28
      sink.feed(leading, flags: table.flags(leading), origin: origin)
      sink.feed(vowel, flags: table.flags(vowel), origin: origin)
      if trailing != 0 {
        sink.feed(0x11A7 + trailing, flags: table.flags(0x11A7 + trailing), origin: origin)
      }
      return
    }
    for part in table.strippedForms[scalar] ?? [scalar] {
      lowercase(part, flags: table.flags(part), origin: origin, into: &sink)
    }
  }

  @inline(__always)
  private func lowercase<Sink: NormalizedScalarSink>(
    _ scalar: UInt32, flags: BertCharacterFlags, origin: Int32, into sink: inout Sink
  ) {
    guard lowercase && flags.contains(.lowercaseMaps) else {
      sink.feed(scalar, flags: flags, origin: origin)
      return
    }
    for part in table.lowercaseForms[scalar] ?? [scalar] {
      sink.feed(part, flags: table.flags(part), origin: origin)
    }
  }
}
