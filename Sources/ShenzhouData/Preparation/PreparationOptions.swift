import Foundation

// MARK: - Settings

/// Document delimiter of plain-text corpus files.
public enum DocumentFormat: String, Codable, Equatable, Sendable, CaseIterable {
  /// Each non-blank line is one document.
  case line
  /// Documents are runs of non-blank lines separated by blank lines. Line ends also end sentences.
  case blank
}

/// Settings that determine the shard contents; the manifest records them.
public struct PreparationSettings: Codable, Equatable, Sendable {
  public var documentFormat: DocumentFormat
  /// Options for input that is already segmented into words, or nil for raw text.
  public var segmentedInput: SegmentedInputOptions?
  /// Skips and counts lines that are not valid UTF-8 instead of failing.
  public var skipsInvalidUTF8: Bool
  /// A shard is closed at the first document boundary after it reaches this many tokens, so a shard
  /// exceeds it only by its last document.
  public var maxTokensPerShard: Int
  /// Sequence length, special tokens included, that the corpus is prepared for. It does not change
  /// the shards. The manifest records it and counts the sentences too long to fit, which the loader
  /// cuts into pieces. Nil when unknown.
  public var maxSequenceLength: Int?

  public init(
    documentFormat: DocumentFormat = .line, segmentedInput: SegmentedInputOptions? = nil,
    skipsInvalidUTF8: Bool = false, maxTokensPerShard: Int = 1 << 24, maxSequenceLength: Int? = nil
  ) {
    self.documentFormat = documentFormat
    self.segmentedInput = segmentedInput
    self.skipsInvalidUTF8 = skipsInvalidUTF8
    self.maxTokensPerShard = maxTokensPerShard
    self.maxSequenceLength = maxSequenceLength
  }
}

/// Options for one preparation run.
public struct PreparationOptions: Sendable {
  public var settings: PreparationSettings
  /// Encoding worker threads. The shards do not depend on it.
  public var threadCount: Int
  /// Target size of the text chunks that workers encode, in bytes. The shards do not depend on it.
  public var chunkBytes: Int
  /// Replaces a corpus already prepared in the output directory instead of failing.
  public var overwrites: Bool
  /// Minimum time between progress reports, in seconds.
  public var progressInterval: Double

  public init(
    settings: PreparationSettings = PreparationSettings(),
    threadCount: Int = ProcessInfo.processInfo.activeProcessorCount, chunkBytes: Int = 1 << 20,
    overwrites: Bool = false, progressInterval: Double = 0.5
  ) {
    self.settings = settings
    self.threadCount = threadCount
    self.chunkBytes = chunkBytes
    self.overwrites = overwrites
    self.progressInterval = progressInterval
  }

  func validate() throws(PreparationError) {
    guard threadCount >= 1 else {
      throw .invalidOption(name: "threadCount", value: "\(threadCount)", reason: "use at least 1 thread")
    }
    guard chunkBytes >= 1 else {
      throw .invalidOption(name: "chunkBytes", value: "\(chunkBytes)", reason: "use a positive chunk size")
    }
    guard settings.maxTokensPerShard >= 1 else {
      throw .invalidOption(
        name: "maxTokensPerShard", value: "\(settings.maxTokensPerShard)", reason: "use a positive token count")
    }
    if let length = settings.maxSequenceLength, length < 3 {
      throw .invalidOption(
        name: "maxSequenceLength", value: "\(length)", reason: "use at least 3, room for [CLS], one token and [SEP]")
    }
    guard progressInterval >= 0, progressInterval.isFinite else {
      throw .invalidOption(
        name: "progressInterval", value: "\(progressInterval)", reason: "use a non-negative number of seconds")
    }
  }
}

// MARK: - Progress and report

/// Snapshot of a running preparation, passed to the progress callback.
public struct PreparationProgress: Sendable {
  /// Input bytes done, counted on disk (compressed bytes for gzip input).
  public var bytesProcessed: Int64
  /// Total size of the input files on disk.
  public var totalBytes: Int64
  public var documents: Int
  public var sentences: Int
  public var tokens: Int
  public var skippedLines: Int
  public var elapsedSeconds: Double
  /// The file whose chunks were written last.
  public var currentFile: String
  /// True for the report sent after the last chunk.
  public var isFinal: Bool

  /// Fraction of the input bytes done, in [0, 1].
  public var fractionDone: Double {
    totalBytes > 0 ? min(1, Double(bytesProcessed) / Double(totalBytes)) : 1
  }

  /// Input throughput in bytes on disk per second.
  public var bytesPerSecond: Double {
    elapsedSeconds > 0 ? Double(bytesProcessed) / elapsedSeconds : 0
  }

  public var tokensPerSecond: Double {
    elapsedSeconds > 0 ? Double(tokens) / elapsedSeconds : 0
  }

  /// Seconds left at the average throughput so far, or nil before any input is done.
  public var estimatedSecondsRemaining: Double? {
    guard bytesProcessed > 0, elapsedSeconds > 0 else { return nil }
    return Double(max(0, totalBytes - bytesProcessed)) / bytesPerSecond
  }
}

/// Result of a finished preparation.
public struct PreparationReport: Sendable {
  public var outputDirectory: String
  public var manifest: CorpusManifest
  public var elapsedSeconds: Double
}
