// MARK: - Shard file format

/// Layout of a shard file, version 1. All integers are little-endian.
///
/// ```
/// offset  size  field
///      0     8  magic: 0x89 'S' 'Z' 'S' 'H' 'R' 'D' 0x0A
///      8     4  format version (UInt32, currently 1)
///     12     4  token width in bytes (UInt32: 2 for UInt16 ids, 4 for Int32 ids)
///     16     8  token count
///     24     8  sentence count
///     32     8  document count
///     40     8  byte offset of the token ids
///     48     8  byte offset of the word-start bits
///     56     8  byte offset of the sentence offsets
///     64     8  byte offset of the document offsets
///     72     8  file length in bytes
///     80     8  vocabulary size
///     88    40  reserved, zero
/// ```
///
/// Sections follow the 128-byte header, each starting at a multiple of 8 bytes:
/// - token ids: `tokenCount` values of the token width;
/// - word-start bits: `ceil(tokenCount / 8)` bytes, bit `i % 8` of byte `i / 8` set when token `i`
///   starts a word (least significant bit first);
/// - sentence offsets: `sentenceCount + 1` UInt64 token indices, where sentence `s` covers tokens
///   `offsets[s]..<offsets[s + 1]`;
/// - document offsets: `documentCount + 1` UInt64 sentence indices, where document `d` covers
///   sentences `offsets[d]..<offsets[d + 1]`.
///
/// A document never spans two shards, and no sentence is empty.
public enum ShardFormat {
  public static let magic: [UInt8] = [0x89, 0x53, 0x5a, 0x53, 0x48, 0x52, 0x44, 0x0a]
  public static let version: UInt32 = 1
  public static let headerSize = 128
  public static let fileExtension = "szshard"

  /// Returns the token width in bytes for a vocabulary: 2 when every id fits in UInt16, else 4.
  public static func tokenWidth(vocabularySize: Int) -> Int {
    vocabularySize <= 1 << 16 ? 2 : 4
  }

  /// Returns `value` rounded up to a multiple of 8.
  static func aligned(_ value: Int) -> Int {
    (value + 7) & ~7
  }
}

/// Fixed-size header of a shard file.
struct ShardHeader: Equatable, Sendable {
  var tokenWidth: Int
  var tokenCount: Int
  var sentenceCount: Int
  var documentCount: Int
  var tokensOffset: Int
  var wordStartsOffset: Int
  var sentenceOffsetsOffset: Int
  var documentOffsetsOffset: Int
  var fileLength: Int
  var vocabularySize: Int

  /// Computes the section offsets for the given counts.
  init(tokenWidth: Int, tokenCount: Int, sentenceCount: Int, documentCount: Int, vocabularySize: Int) {
    self.tokenWidth = tokenWidth
    self.tokenCount = tokenCount
    self.sentenceCount = sentenceCount
    self.documentCount = documentCount
    self.vocabularySize = vocabularySize
    tokensOffset = ShardFormat.headerSize
    wordStartsOffset = ShardFormat.aligned(tokensOffset + tokenCount * tokenWidth)
    sentenceOffsetsOffset = ShardFormat.aligned(wordStartsOffset + (tokenCount + 7) / 8)
    documentOffsetsOffset = sentenceOffsetsOffset + (sentenceCount + 1) * 8
    fileLength = documentOffsetsOffset + (documentCount + 1) * 8
  }

  func encoded() -> [UInt8] {
    var bytes = ShardFormat.magic
    bytes.reserveCapacity(ShardFormat.headerSize)
    func append<Value: FixedWidthInteger>(_ value: Value) {
      withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
    append(ShardFormat.version)
    append(UInt32(tokenWidth))
    for value in [
      tokenCount, sentenceCount, documentCount, tokensOffset, wordStartsOffset, sentenceOffsetsOffset,
      documentOffsetsOffset, fileLength, vocabularySize,
    ] {
      append(UInt64(value))
    }
    bytes.append(contentsOf: repeatElement(0, count: ShardFormat.headerSize - bytes.count))
    return bytes
  }

  /// Parses and checks a header against the file's length.
  ///
  /// - Throws: `ShardError` naming `path` when the magic, version, width or section layout is wrong.
  init(decoding bytes: UnsafeRawBufferPointer, fileLength actualLength: Int, path: String) throws(ShardError) {
    guard bytes.count >= ShardFormat.headerSize, actualLength >= ShardFormat.headerSize else {
      throw .truncated(path: path, expectedBytes: ShardFormat.headerSize, actualBytes: actualLength)
    }
    guard Array(bytes[0..<8]) == ShardFormat.magic else {
      throw .notAShard(path: path)
    }
    func read<Value: FixedWidthInteger>(_ offset: Int, as type: Value.Type) -> Value {
      Value(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Value.self))
    }
    let version = read(8, as: UInt32.self)
    guard version == ShardFormat.version else {
      throw .unsupportedVersion(path: path, version: version)
    }
    let width = Int(read(12, as: UInt32.self))
    guard width == 2 || width == 4 else {
      throw .corrupt(path: path, reason: "token width \(width) is neither 2 nor 4")
    }
    let limit = UInt64(Int.max / 16)
    let fields = (16..<88).striding(by: 8).map { read($0, as: UInt64.self) }
    guard fields.allSatisfy({ $0 <= limit }) else {
      throw .corrupt(path: path, reason: "a header field is out of range")
    }
    self.init(
      tokenWidth: width, tokenCount: Int(fields[0]), sentenceCount: Int(fields[1]),
      documentCount: Int(fields[2]), vocabularySize: Int(fields[8]))
    let stored = fields[3...7].map { Int($0) }
    guard
      stored == [tokensOffset, wordStartsOffset, sentenceOffsetsOffset, documentOffsetsOffset, fileLength]
    else {
      throw .corrupt(path: path, reason: "section offsets do not match the counts in the header")
    }
    guard fileLength == actualLength else {
      throw .truncated(path: path, expectedBytes: fileLength, actualBytes: actualLength)
    }
  }
}

extension Range where Bound == Int {
  fileprivate func striding(by step: Int) -> StrideTo<Int> {
    stride(from: lowerBound, to: upperBound, by: step)
  }
}

// MARK: - Errors

/// Error raised when a shard or manifest cannot be read.
public enum ShardError: Error, Equatable, Sendable, CustomStringConvertible {
  case unreadable(path: String, reason: String)
  case notAShard(path: String)
  case unsupportedVersion(path: String, version: UInt32)
  case truncated(path: String, expectedBytes: Int, actualBytes: Int)
  case corrupt(path: String, reason: String)
  case checksumMismatch(path: String, expected: String, actual: String)
  case manifestInvalid(path: String, reason: String)
  case vocabularyMismatch(path: String, expected: String, actual: String)

  public var description: String {
    switch self {
    case .unreadable(let path, let reason):
      return "cannot read \(path): \(reason)"
    case .notAShard(let path):
      return "\(path) is not a shenzhou shard (wrong magic number); point the loader at a prepared corpus"
    case .unsupportedVersion(let path, let version):
      return "\(path) has shard format version \(version), but this build reads version "
        + "\(ShardFormat.version); prepare the corpus again with this build"
    case .truncated(let path, let expected, let actual):
      return "\(path) is truncated: expected \(expected) bytes, found \(actual); prepare the corpus again"
    case .corrupt(let path, let reason):
      return "\(path) is corrupt: \(reason); prepare the corpus again"
    case .checksumMismatch(let path, let expected, let actual):
      return "\(path) has SHA-256 \(actual) but the manifest records \(expected); "
        + "the file changed after preparation, so prepare the corpus again"
    case .manifestInvalid(let path, let reason):
      return "invalid manifest \(path): \(reason)"
    case .vocabularyMismatch(let path, let expected, let actual):
      return "\(path) was prepared with vocabulary SHA-256 \(expected), but the current vocabulary has "
        + "\(actual); use the vocabulary the corpus was prepared with or prepare it again"
    }
  }
}
