#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// MARK: - Shard file

/// Read-only, memory-mapped view of one shard file.
///
/// Opening checks the header and every offset array, so the accessors below never read outside the
/// mapping. The mapping is immutable for the object's lifetime, which makes sharing it across threads
/// safe.
public final class ShardFile: @unchecked Sendable {
  public let path: String
  /// Token id width in bytes: 2 or 4.
  public let tokenWidth: Int
  public let tokenCount: Int
  public let sentenceCount: Int
  public let documentCount: Int
  public let vocabularySize: Int
  /// File size in bytes.
  public var fileLength: Int { mappedLength }
  private let base: UnsafeRawPointer
  private let mappedLength: Int
  private let header: ShardHeader

  /// Maps the shard at `path` and validates it.
  ///
  /// - Throws: `ShardError` when the file is missing, truncated, of another version, or inconsistent.
  public init(path: String) throws(ShardError) {
    self.path = path
    let descriptor = systemOpen(path, flags: O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw .unreadable(path: path, reason: POSIXErrorText.describe(systemErrorNumber()))
    }
    defer { systemClose(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else {
      throw .unreadable(path: path, reason: POSIXErrorText.describe(systemErrorNumber()))
    }
    let length = Int(status.st_size)
    guard length >= ShardFormat.headerSize else {
      throw .truncated(path: path, expectedBytes: ShardFormat.headerSize, actualBytes: length)
    }
    guard let mapping = mmap(nil, length, PROT_READ, MAP_PRIVATE, descriptor, 0), mapping != MAP_FAILED
    else {
      throw .unreadable(path: path, reason: "mmap failed: \(POSIXErrorText.describe(systemErrorNumber()))")
    }
    let pointer = UnsafeRawPointer(mapping)
    let parsed: ShardHeader
    do {
      parsed = try ShardHeader(
        decoding: UnsafeRawBufferPointer(start: pointer, count: ShardFormat.headerSize), fileLength: length,
        path: path)
      try ShardFile.validateOffsets(base: pointer, header: parsed, path: path)
    } catch {
      munmap(mapping, length)
      throw error
    }
    base = pointer
    mappedLength = length
    header = parsed
    tokenWidth = parsed.tokenWidth
    tokenCount = parsed.tokenCount
    sentenceCount = parsed.sentenceCount
    documentCount = parsed.documentCount
    vocabularySize = parsed.vocabularySize
  }

  deinit {
    munmap(UnsafeMutableRawPointer(mutating: base), mappedLength)
  }

  // MARK: - Tokens

  /// Returns the id of token `index`.
  @inline(__always)
  public func token(at index: Int) -> Int32 {
    precondition(index >= 0 && index < tokenCount, "token index out of range")
    if tokenWidth == 2 {
      return Int32(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: header.tokensOffset + index * 2, as: UInt16.self)))
    }
    return Int32(littleEndian: base.loadUnaligned(fromByteOffset: header.tokensOffset + index * 4, as: Int32.self))
  }

  /// Appends the ids of `range` to `output`.
  public func appendTokens(_ range: Range<Int>, to output: inout [Int32]) {
    precondition(range.lowerBound >= 0 && range.upperBound <= tokenCount, "token range out of bounds")
    output.reserveCapacity(output.count + range.count)
    if tokenWidth == 2 {
      let start = base + header.tokensOffset
      for index in range {
        output.append(Int32(UInt16(littleEndian: start.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self))))
      }
    } else {
      let start = base + header.tokensOffset
      for index in range {
        output.append(Int32(littleEndian: start.loadUnaligned(fromByteOffset: index * 4, as: Int32.self)))
      }
    }
  }

  /// Returns whether token `index` starts a word.
  @inline(__always)
  public func isWordStart(_ index: Int) -> Bool {
    precondition(index >= 0 && index < tokenCount, "token index out of range")
    let byte = base.load(fromByteOffset: header.wordStartsOffset + index >> 3, as: UInt8.self)
    return byte & (UInt8(1) << UInt8(index & 7)) != 0
  }

  /// Appends the word-start flags of `range` to `output`.
  public func appendWordStarts(_ range: Range<Int>, to output: inout [Bool]) {
    precondition(range.lowerBound >= 0 && range.upperBound <= tokenCount, "token range out of bounds")
    output.reserveCapacity(output.count + range.count)
    for index in range {
      output.append(isWordStart(index))
    }
  }

  // MARK: - Sentences and documents

  /// Returns the token range of sentence `index`.
  public func sentenceTokens(_ index: Int) -> Range<Int> {
    precondition(index >= 0 && index < sentenceCount, "sentence index out of range")
    return sentenceOffset(index)..<sentenceOffset(index + 1)
  }

  /// Returns the sentence range of document `index`.
  public func documentSentences(_ index: Int) -> Range<Int> {
    precondition(index >= 0 && index < documentCount, "document index out of range")
    return documentOffset(index)..<documentOffset(index + 1)
  }

  /// Returns the token range of document `index`.
  public func documentTokens(_ index: Int) -> Range<Int> {
    let sentences = documentSentences(index)
    return sentenceOffset(sentences.lowerBound)..<sentenceOffset(sentences.upperBound)
  }

  @inline(__always)
  func sentenceOffset(_ index: Int) -> Int {
    Int(UInt64(littleEndian: base.loadUnaligned(fromByteOffset: header.sentenceOffsetsOffset + index * 8, as: UInt64.self)))
  }

  @inline(__always)
  func documentOffset(_ index: Int) -> Int {
    Int(UInt64(littleEndian: base.loadUnaligned(fromByteOffset: header.documentOffsetsOffset + index * 8, as: UInt64.self)))
  }

  // MARK: - Validation

  /// Returns the SHA-256 of the whole file as lowercase hexadecimal.
  public func sha256() -> String {
    SHA256.hexDigest(of: UnsafeRawBufferPointer(start: base, count: mappedLength))
  }

  /// Returns the index of the first token whose id is not below `vocabularySize`, or nil.
  public func firstTokenOutsideVocabulary() -> Int? {
    for index in 0..<tokenCount where Int(token(at: index)) >= vocabularySize || token(at: index) < 0 {
      return index
    }
    return nil
  }

  /// Returns the token offsets of the document starts strictly inside `range`, in order.
  public func documentStarts(inside range: Range<Int>) -> [Int] {
    var low = 0
    var high = documentCount
    while low < high {
      let middle = (low + high) / 2
      if sentenceOffset(documentOffset(middle)) <= range.lowerBound {
        low = middle + 1
      } else {
        high = middle
      }
    }
    var starts: [Int] = []
    var document = low
    while document < documentCount {
      let start = sentenceOffset(documentOffset(document))
      guard start < range.upperBound else { break }
      starts.append(start)
      document += 1
    }
    return starts
  }

  private static func validateOffsets(base: UnsafeRawPointer, header: ShardHeader, path: String) throws(ShardError) {
    func load(_ sectionOffset: Int, _ index: Int) -> UInt64 {
      UInt64(littleEndian: base.loadUnaligned(fromByteOffset: sectionOffset + index * 8, as: UInt64.self))
    }
    var previous: UInt64 = 0
    for index in 0...header.sentenceCount {
      let value = load(header.sentenceOffsetsOffset, index)
      let valid = index == 0 ? value == 0 : value > previous
      guard valid, value <= UInt64(header.tokenCount) else {
        throw .corrupt(path: path, reason: "sentence offset \(index) is \(value), out of order or range")
      }
      previous = value
    }
    guard previous == UInt64(header.tokenCount) else {
      throw .corrupt(path: path, reason: "sentence offsets end at \(previous), not at the token count")
    }
    previous = 0
    for index in 0...header.documentCount {
      let value = load(header.documentOffsetsOffset, index)
      let valid = index == 0 ? value == 0 : value > previous
      guard valid, value <= UInt64(header.sentenceCount) else {
        throw .corrupt(path: path, reason: "document offset \(index) is \(value), out of order or range")
      }
      previous = value
    }
    guard previous == UInt64(header.sentenceCount) else {
      throw .corrupt(path: path, reason: "document offsets end at \(previous), not at the sentence count")
    }
  }
}
