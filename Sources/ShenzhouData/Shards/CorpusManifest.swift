import Foundation

// MARK: - Manifest

/// Contents of `manifest.json`, the file that makes a directory of shards a prepared corpus.
///
/// Preparation writes it last, so a directory without it contains no complete corpus. It contains no
/// timestamps or thread counts, so equal inputs and settings give byte-identical manifests.
public struct CorpusManifest: Codable, Equatable, Sendable {
  public static let fileName = "manifest.json"
  public static let currentFormatVersion = 1

  public var formatVersion: Int
  public var shardFormatVersion: Int
  /// Token id width in the shards, in bytes.
  public var tokenWidth: Int
  public var vocabulary: VocabularyDescription
  /// Source of the word-start bits: "pre-segmented input", or the encoder's segmenter ("none" when
  /// only WordPiece pieces mark words). Optional so that manifests written before the field existed
  /// still decode.
  public var wordSegmentation: String?
  public var settings: PreparationSettings
  public var inputs: [InputRecord]
  public var counts: CorpusCounts
  public var shards: [ShardRecord]

  public init(
    formatVersion: Int = CorpusManifest.currentFormatVersion, shardFormatVersion: Int = Int(ShardFormat.version),
    tokenWidth: Int, vocabulary: VocabularyDescription, wordSegmentation: String? = nil,
    settings: PreparationSettings, inputs: [InputRecord], counts: CorpusCounts, shards: [ShardRecord]
  ) {
    self.wordSegmentation = wordSegmentation
    self.formatVersion = formatVersion
    self.shardFormatVersion = shardFormatVersion
    self.tokenWidth = tokenWidth
    self.vocabulary = vocabulary
    self.settings = settings
    self.inputs = inputs
    self.counts = counts
    self.shards = shards
  }

  /// One corpus file that went into the shards.
  public struct InputRecord: Codable, Equatable, Sendable {
    public var path: String
    /// Size on disk, compressed for gzip input.
    public var bytes: Int64
    public var gzip: Bool
    public var lines: Int
    public var skippedLines: Int

    public init(path: String, bytes: Int64, gzip: Bool, lines: Int, skippedLines: Int) {
      self.path = path
      self.bytes = bytes
      self.gzip = gzip
      self.lines = lines
      self.skippedLines = skippedLines
    }
  }

  /// One shard file, named relative to the manifest's directory.
  public struct ShardRecord: Codable, Equatable, Sendable {
    public var file: String
    public var sha256: String
    public var bytes: Int
    public var documents: Int
    public var sentences: Int
    public var tokens: Int

    public init(file: String, sha256: String, bytes: Int, documents: Int, sentences: Int, tokens: Int) {
      self.file = file
      self.sha256 = sha256
      self.bytes = bytes
      self.documents = documents
      self.sentences = sentences
      self.tokens = tokens
    }
  }

  // MARK: - Reading and writing

  /// Reads and checks `manifest.json` in `directory`.
  public static func read(directory: String) throws(ShardError) -> CorpusManifest {
    let path = directory + "/" + fileName
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw .unreadable(path: path, reason: "\(error.localizedDescription); prepare the corpus first")
    }
    let manifest: CorpusManifest
    do {
      manifest = try JSONDecoder().decode(CorpusManifest.self, from: data)
    } catch {
      throw .manifestInvalid(path: path, reason: "\(error)")
    }
    guard manifest.formatVersion == currentFormatVersion else {
      throw .manifestInvalid(
        path: path,
        reason: "format version \(manifest.formatVersion) is not \(currentFormatVersion); prepare the corpus again")
    }
    for shard in manifest.shards {
      guard !shard.file.isEmpty, !shard.file.contains("/"), shard.file != "..", shard.file != "." else {
        throw .manifestInvalid(path: path, reason: "shard file name \(shard.file) must be a plain file name")
      }
    }
    return manifest
  }

  /// Encodes the manifest as pretty-printed JSON with sorted keys.
  public func encodedJSON() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    var data = try encoder.encode(self)
    data.append(0x0a)
    return data
  }
}

/// Corpus totals recorded in the manifest.
public struct CorpusCounts: Codable, Equatable, Sendable {
  public var documents: Int = 0
  public var sentences: Int = 0
  public var tokens: Int = 0
  /// Lines read, blank lines included.
  public var lines: Int = 0
  public var blankLines: Int = 0
  /// Lines dropped because they were not valid UTF-8 (only when skipping is enabled).
  public var skippedLines: Int = 0
  /// Input bytes read, decompressed for gzip input.
  public var bytes: Int64 = 0
  /// Sentences longer than `maxSequenceLength - 2` tokens, which the loader cuts into pieces; nil
  /// when the settings name no sequence length.
  public var longSentences: Int?

  public init() {}
}
