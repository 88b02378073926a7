import Foundation

// MARK: - Corpus preparer

/// Turns UTF-8 corpus files into token shards and a manifest.
///
/// One reader thread cuts the input into chunks, `threadCount` workers encode them, and the calling
/// thread writes the results in input order, so the shards are byte-identical for every thread
/// count. At most `2 × threadCount + 2` chunks are in flight, which keeps memory flat however large
/// the corpus is.
public struct CorpusPreparer: Sendable {
  public let encoder: any PretrainingTextEncoder
  public let options: PreparationOptions

  public init(encoder: any PretrainingTextEncoder, options: PreparationOptions = PreparationOptions()) {
    self.encoder = encoder
    self.options = options
  }

  /// Prepares `paths` into `outputDirectory`, creating it when missing.
  ///
  /// Shards are written under temporary names and renamed when every file was read; `manifest.json`
  /// comes last. On failure the temporary shards are deleted and no manifest is written.
  ///
  /// - Parameter progress: called on the calling thread at most every `progressInterval` seconds,
  ///   and once more at the end.
  public func prepare(
    corpus paths: [String], outputDirectory: String, progress: ((PreparationProgress) -> Void)? = nil
  ) throws(PreparationError) -> PreparationReport {
    try options.validate()
    guard !paths.isEmpty else { throw .noInputs }
    let started = ContinuousClock.now
    let inputs = try inspectInputs(paths)
    try prepareOutputDirectory(outputDirectory)

    let vocabulary = encoder.vocabulary
    let settings = options.settings
    let wordSegmentation = settings.segmentedInput == nil ? encoder.wordSegmentation : "pre-segmented input"
    let workerCount = options.threadCount
    let writer = ShardSetWriter(
      directory: outputDirectory, tokenWidth: ShardFormat.tokenWidth(vocabularySize: vocabulary.size),
      vocabularySize: vocabulary.size, maxTokensPerShard: settings.maxTokensPerShard,
      longSentenceThreshold: settings.maxSequenceLength.map { $0 - 2 })
    let chunkEncoder = ChunkEncoder(
      encoder: encoder, settings: settings, paths: paths, decompressed: inputs.map(\.gzip))
    let reader = CorpusChunkReader(
      paths: paths, fileSizes: inputs.map(\.bytes), documentFormat: settings.documentFormat,
      chunkBytes: options.chunkBytes)

    let rawChunks = BlockingQueue<RawChunk>(capacity: workerCount)
    let results = OrderedResults<EncodedChunk>()
    let gate = CountingGate(limit: 2 * workerCount + 2)

    let readerThread = JoinableThread(name: "shenzhou-prepare-reader") {
      var count = 0
      reader.run { chunk in
        guard gate.acquire() else { return false }
        count += 1
        return rawChunks.push(chunk)
      }
      rawChunks.close()
      results.finish(count: count)
    }
    let workers = (0..<workerCount).map { index in
      JoinableThread(name: "shenzhou-prepare-worker-\(index)") {
        while let chunk = rawChunks.pop() {
          results.put(chunkEncoder.encode(chunk), at: chunk.index)
        }
      }
    }
    func stopThreads() {
      gate.cancel()
      rawChunks.close()
      results.cancel()
      readerThread.join()
      for worker in workers { worker.join() }
    }

    var perFile = inputs.map { ($0.lines, $0.skippedLines) }
    var lastReport = ContinuousClock.now
    var lastFile = -1
    var snapshot = PreparationProgress(
      bytesProcessed: 0, totalBytes: inputs.reduce(0) { $0 + $1.bytes }, documents: 0, sentences: 0, tokens: 0,
      skippedLines: 0, elapsedSeconds: 0, currentFile: paths[0], isFinal: false)
    do throws(PreparationError) {
      var nextIndex = 0
      while let chunk = results.take(nextIndex) {
        nextIndex += 1
        if let failure = chunk.failure { throw failure }
        if chunk.fileIndex != lastFile {
          writer.breakDocument()
          lastFile = chunk.fileIndex
        }
        try writer.append(chunk)
        gate.release()
        perFile[chunk.fileIndex].0 += chunk.lineCount
        perFile[chunk.fileIndex].1 += chunk.skippedLines
        snapshot.bytesProcessed = chunk.inputPosition
        snapshot.currentFile = paths[chunk.fileIndex]
        if let progress, lastReport.duration(to: .now) >= .seconds(options.progressInterval) {
          lastReport = .now
          fill(&snapshot, counts: writer.counts, since: started)
          progress(snapshot)
        }
      }
      guard writer.counts.tokens > 0 else { throw .emptyCorpus(paths: paths) }
    } catch {
      stopThreads()
      writer.abandon()
      throw error
    }
    stopThreads()

    var inputRecords = inputs
    for index in inputRecords.indices {
      inputRecords[index].lines = perFile[index].0
      inputRecords[index].skippedLines = perFile[index].1
    }
    let manifest: CorpusManifest
    do {
      manifest = try writer.commit { shards, counts in
        CorpusManifest(
          tokenWidth: ShardFormat.tokenWidth(vocabularySize: vocabulary.size), vocabulary: vocabulary,
          wordSegmentation: wordSegmentation, settings: settings, inputs: inputRecords, counts: counts, shards: shards)
      }
    } catch {
      writer.abandon()
      throw error
    }
    fill(&snapshot, counts: writer.counts, since: started)
    snapshot.bytesProcessed = snapshot.totalBytes
    snapshot.isFinal = true
    progress?(snapshot)
    return PreparationReport(
      outputDirectory: outputDirectory, manifest: manifest, elapsedSeconds: snapshot.elapsedSeconds)
  }

  // MARK: - Steps

  private func fill(_ snapshot: inout PreparationProgress, counts: CorpusCounts, since start: ContinuousClock.Instant) {
    snapshot.documents = counts.documents
    snapshot.sentences = counts.sentences
    snapshot.tokens = counts.tokens
    snapshot.skippedLines = counts.skippedLines
    let elapsed = start.duration(to: .now)
    snapshot.elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
  }

  /// Checks that every input exists and records its size and compression.
  private func inspectInputs(_ paths: [String]) throws(PreparationError) -> [CorpusManifest.InputRecord] {
    var records: [CorpusManifest.InputRecord] = []
    for path in paths {
      let (bytes, isGzip) = try CorpusByteSources.inspect(path: path)
      records.append(CorpusManifest.InputRecord(path: path, bytes: bytes, gzip: isGzip, lines: 0, skippedLines: 0))
    }
    return records
  }

  /// Creates the output directory, or clears a previous corpus from it when overwriting is enabled.
  private func prepareOutputDirectory(_ directory: String) throws(PreparationError) {
    let manager = FileManager.default
    var isDirectory: ObjCBool = false
    if manager.fileExists(atPath: directory, isDirectory: &isDirectory) {
      guard isDirectory.boolValue else {
        throw .outputFailed(path: directory, reason: "it exists and is not a directory")
      }
    } else {
      do {
        try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
      } catch {
        throw .outputFailed(path: directory, reason: "creating the directory failed: \(error.localizedDescription)")
      }
    }
    let entries: [String]
    do {
      entries = try manager.contentsOfDirectory(atPath: directory)
    } catch {
      throw .outputFailed(path: directory, reason: "listing the directory failed: \(error.localizedDescription)")
    }
    let previous = entries.filter { name in
      name == CorpusManifest.fileName || name.hasPrefix(CorpusManifest.fileName + ".")
        || (name.hasPrefix("shard-") && name.contains("." + ShardFormat.fileExtension))
    }
    guard !previous.isEmpty else { return }
    // Without manifest.json the files are leftovers of an interrupted run, never a usable corpus, so they go
    // without --overwrite. A complete corpus is replaced only on request.
    if entries.contains(CorpusManifest.fileName) {
      guard options.overwrites else { throw .outputNotEmpty(directory: directory) }
    }
    let ordered = previous.sorted { left, right in
      (left == CorpusManifest.fileName ? 0 : 1, left) < (right == CorpusManifest.fileName ? 0 : 1, right)
    }
    for name in ordered {
      let path = directory + "/" + name
      guard unlink(path) == 0 else {
        throw .outputFailed(path: path, reason: "removing the previous corpus failed: \(POSIXErrorText.describe(systemErrorNumber()))")
      }
    }
  }
}
