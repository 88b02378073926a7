import Foundation

// MARK: - Shard set writer

/// Writes encoded chunks, in order, into numbered shards under temporary names, and publishes them
/// with the manifest once everything succeeded.
final class ShardSetWriter {
  let directory: String
  let tokenWidth: Int
  let vocabularySize: Int
  let maxTokensPerShard: Int
  /// Sentences longer than this count as long; nil counts none.
  let longSentenceThreshold: Int?
  private var current: ShardWriter?
  private var finishedRecords: [CorpusManifest.ShardRecord] = []
  private var temporaryPaths: [String] = []
  private var documentBoundaryPending = true
  private(set) var counts = CorpusCounts()

  init(directory: String, tokenWidth: Int, vocabularySize: Int, maxTokensPerShard: Int, longSentenceThreshold: Int?) {
    self.directory = directory
    self.tokenWidth = tokenWidth
    self.vocabularySize = vocabularySize
    self.maxTokensPerShard = maxTokensPerShard
    self.longSentenceThreshold = longSentenceThreshold
    if longSentenceThreshold != nil { counts.longSentences = 0 }
  }

  static func shardFileName(_ index: Int) -> String {
    let number = String(index)
    return "shard-" + String(repeating: "0", count: max(0, 5 - number.count)) + number + "."
      + ShardFormat.fileExtension
  }

  static let temporarySuffix = ".partial"

  /// Appends the sentences of `chunk`, starting a new shard at a document boundary once the current
  /// one contains `maxTokensPerShard` tokens.
  func append(_ chunk: EncodedChunk) throws(PreparationError) {
    counts.lines += chunk.lineCount
    counts.blankLines += chunk.blankLines
    counts.skippedLines += chunk.skippedLines
    counts.bytes += chunk.bytes
    var tokenStart = 0
    for (sentence, length) in chunk.sentenceLengths.enumerated() {
      if chunk.sentenceStartsDocument[sentence] || documentBoundaryPending {
        try startDocument()
        documentBoundaryPending = false
      }
      guard let shard = current else { preconditionFailure("startDocument() opens a shard") }
      let tokenEnd = tokenStart + length
      try shard.appendSentence(
        tokens: chunk.tokens[tokenStart..<tokenEnd], wordStarts: chunk.wordStarts[tokenStart..<tokenEnd])
      tokenStart = tokenEnd
      counts.sentences += 1
      counts.tokens += length
      if let threshold = longSentenceThreshold, length > threshold {
        counts.longSentences = (counts.longSentences ?? 0) + 1
      }
    }
    if chunk.endsWithDocumentBoundary { documentBoundaryPending = true }
  }

  /// Marks that the next sentence starts a document, as at the start of every file.
  func breakDocument() {
    documentBoundaryPending = true
  }

  /// Finishes the last shard, renames every shard to its final name, and writes the manifest last.
  func commit(makeManifest: ([CorpusManifest.ShardRecord], CorpusCounts) -> CorpusManifest)
    throws(PreparationError) -> CorpusManifest
  {
    try finishCurrent()
    for (index, temporary) in temporaryPaths.enumerated() {
      let final = directory + "/" + ShardSetWriter.shardFileName(index)
      guard rename(temporary, final) == 0 else {
        throw .outputFailed(path: final, reason: POSIXErrorText.describe(systemErrorNumber()))
      }
    }
    temporaryPaths.removeAll()
    let manifest = makeManifest(finishedRecords, counts)
    let manifestPath = directory + "/" + CorpusManifest.fileName
    let data: Data
    do {
      data = try manifest.encodedJSON()
    } catch {
      throw .outputFailed(path: manifestPath, reason: "encoding the manifest failed: \(error)")
    }
    try AtomicFile.write(data, to: manifestPath)
    return manifest
  }

  /// Deletes every shard written so far. Called when preparation fails.
  func abandon() {
    current?.abandon()
    current = nil
    for path in temporaryPaths {
      unlink(path)
    }
    temporaryPaths.removeAll()
  }

  // MARK: - Shards

  private func startDocument() throws(PreparationError) {
    if let shard = current, shard.tokenCount >= maxTokensPerShard {
      try finishCurrent()
    }
    if current == nil {
      let index = temporaryPaths.count
      let path = directory + "/" + ShardSetWriter.shardFileName(index) + ShardSetWriter.temporarySuffix
      current = try ShardWriter(path: path, tokenWidth: tokenWidth, vocabularySize: vocabularySize)
      temporaryPaths.append(path)
    }
    current?.beginDocument()
    counts.documents += 1
  }

  private func finishCurrent() throws(PreparationError) {
    guard let shard = current else { return }
    let (bytes, digest) = try shard.finish()
    finishedRecords.append(
      CorpusManifest.ShardRecord(
        file: ShardSetWriter.shardFileName(finishedRecords.count), sha256: digest, bytes: bytes,
        documents: shard.documentCount, sentences: shard.sentenceCount, tokens: shard.tokenCount))
    current = nil
  }
}

// MARK: - Atomic files

enum AtomicFile {
  /// Writes `data` to a temporary file beside `path`, syncs it, and renames it over `path`.
  static func write(_ data: Data, to path: String) throws(PreparationError) {
    let temporary = path + ShardSetWriter.temporarySuffix
    let descriptor = systemOpen(temporary, flags: O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw .outputFailed(path: temporary, reason: POSIXErrorText.describe(systemErrorNumber()))
    }
    var offset = 0
    var failure: Int32 = 0
    data.withUnsafeBytes { bytes in
      while offset < bytes.count {
        let count = systemWrite(descriptor, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
        if count < 0 {
          let code = systemErrorNumber()
          if code == EINTR { continue }
          failure = code
          return
        }
        offset += count
      }
    }
    if failure == 0, fsync(descriptor) != 0 { failure = systemErrorNumber() }
    systemClose(descriptor)
    guard failure == 0 else {
      unlink(temporary)
      throw .outputFailed(path: temporary, reason: POSIXErrorText.describe(failure))
    }
    guard rename(temporary, path) == 0 else {
      let code = systemErrorNumber()
      unlink(temporary)
      throw .outputFailed(path: path, reason: POSIXErrorText.describe(code))
    }
  }
}
