// MARK: - Flags

/// Per-scalar behaviour of the BERT normalizer and pre-tokenizer.
struct BertCharacterFlags: OptionSet, Sendable {
  let rawValue: UInt8

  /// Removed by `clean_text`: NUL, U+FFFD and control, format and private-use characters
  /// other than tab, line feed and carriage return.
  static let removedByCleanup = BertCharacterFlags(rawValue: 0x01)
  /// Replaced with U+0020 by `clean_text`.
  static let spaceAfterCleanup = BertCharacterFlags(rawValue: 0x02)
  /// Separates words in the pre-tokenizer and is dropped.
  static let whitespace = BertCharacterFlags(rawValue: 0x04)
  /// Becomes a word of its own in the pre-tokenizer.
  static let punctuation = BertCharacterFlags(rawValue: 0x08)
  /// CJK ideograph that `handle_chinese_chars` surrounds with spaces.
  static let chinese = BertCharacterFlags(rawValue: 0x10)
  /// Nonspacing mark that accent stripping deletes.
  static let nonspacingMark = BertCharacterFlags(rawValue: 0x20)
  /// Changed by accent stripping (canonical decomposition with nonspacing marks removed).
  static let decomposes = BertCharacterFlags(rawValue: 0x40)
  /// Changed by lowercasing.
  static let lowercaseMaps = BertCharacterFlags(rawValue: 0x80)
}

// MARK: - Table

/// Two-stage lookup table over all Unicode scalars, decoded once from `BertUnicodeTables`.
///
/// `blockIndex[scalar >> 8]` selects a 256-entry block of `blockFlags`. Identical blocks are stored
/// once, so the tables of tokenizers 0.23.3 take 99 blocks, about 34 KB.
final class BertCharacterTable: Sendable {
  static let shared = BertCharacterTable()

  let blockIndex: [UInt16]
  let blockFlags: [UInt8]
  /// Accent-stripped output for scalars flagged `decomposes`, except Hangul syllables.
  let strippedForms: [UInt32: [UInt32]]
  /// Lowercase output for scalars flagged `lowercaseMaps`.
  let lowercaseForms: [UInt32: [UInt32]]

  private init() {
    var flat = [UInt8](repeating: 0, count: 0x110000)
    var position = 0
    for run in BertUnicodeTables.flagRuns.utf8.split(whereSeparator: { $0 == 0x2C || $0 == 0x0A }) {
      let parts = run.split(separator: 0x3A)
      let flags = UInt8(Self.parseHex(parts[0]))
      let count = Int(Self.parseHex(parts[1]))
      for offset in 0..<count { flat[position + offset] = flags }
      position += count
    }
    precondition(position == 0x110000, "BertUnicodeTables.flagRuns must cover every scalar")

    var index = [UInt16](repeating: 0, count: 0x1100)
    var blocks: [UInt8] = []
    var knownBlocks: [ArraySlice<UInt8>: UInt16] = [:]
    for block in 0..<0x1100 {
      let slice = flat[(block << 8)..<((block + 1) << 8)]
      if let existing = knownBlocks[slice] {
        index[block] = existing
      } else {
        let number = UInt16(knownBlocks.count)
        knownBlocks[slice] = number
        blocks.append(contentsOf: slice)
        index[block] = number
      }
    }
    blockIndex = index
    blockFlags = blocks
    strippedForms = Self.parseMappings(BertUnicodeTables.strippedForms)
    lowercaseForms = Self.parseMappings(BertUnicodeTables.lowercaseForms)
  }

  @inline(__always)
  func flags(_ scalar: UInt32) -> BertCharacterFlags {
    let block = Int(blockIndex[Int(scalar >> 8)])
    return BertCharacterFlags(rawValue: blockFlags[(block << 8) | Int(scalar & 0xFF)])
  }

  // MARK: Decoding the generated text

  private static func parseHex(_ digits: some Collection<UInt8>) -> UInt32 {
    var value: UInt32 = 0
    for digit in digits {
      let nibble: UInt8
      switch digit {
      case 0x30...0x39: nibble = digit - 0x30
      case 0x41...0x46: nibble = digit - 0x41 + 10
      default: preconditionFailure("invalid hex digit in BertUnicodeTables")
      }
      value = value << 4 | UInt32(nibble)
    }
    return value
  }

  private static func parseMappings(_ text: String) -> [UInt32: [UInt32]] {
    var table: [UInt32: [UInt32]] = [:]
    for entry in text.utf8.split(whereSeparator: { $0 == 0x3B || $0 == 0x0A }) {
      let sides = entry.split(separator: 0x3D, omittingEmptySubsequences: false)
      let outputs = sides[1].split(separator: 0x20).map { parseHex($0) }
      table[parseHex(sides[0])] = outputs
    }
    return table
  }
}
