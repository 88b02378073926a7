import Foundation
import ShenzhouCLIKit
import ShenzhouReporting
import ShenzhouData
import ShenzhouText

/// `shenzhou prepare`: turns text files into token shards for `shenzhou pretrain`.
struct PrepareCommand: Command {
  enum DocumentFormatArgument: String, ArgumentEnum {
    case line, blank
  }

  static let corpus = Option<[String]>(
    "corpus", valueName: "file",
    help: "UTF-8 text file, plain or gzip-compressed; repeat the option or list several files after it.")
  static let vocab = Option<String?>("vocab", valueName: "path", help: "WordPiece vocab.txt.")
  static let model = Option<String?>(
    "model", valueName: "dir", help: "Hugging Face model directory whose tokenizer to use.")
  static let output = Option<String>(
    "output", valueName: "dir", help: "Directory for the shards and manifest.json; created when missing.")
  static let maxSeqLen = Option<Int>(
    "max-seq-len", default: 512, constraint: .range(3...1_000_000), valueName: "n", unit: "tokens",
    help: "Sequence length the corpus is meant for, [CLS] and [SEP] included. Recorded in the manifest, "
      + "which also counts the sentences too long for it.")
  static let docFormat = Option<DocumentFormatArgument>(
    "doc-format", default: .line, valueName: "format",
    help: "line: each non-blank line is a document. blank: blank lines separate documents.")
  static let segmented = Flag(
    "segmented",
    help: "Input is already segmented into whitespace-separated words, optionally word/tag; the words "
      + "mark whole-word boundaries.")
  static let dropLeadingToken = Flag(
    "drop-leading-token",
    help: "With --segmented, drop each line's first token, such as the People's Daily 19980101-01-001-001/m id.")
  static let stripTags = Flag(
    "strip-tags", default: true, help: "With --segmented, remove /tag suffixes and [ ]tag compound brackets.")
  static let dictionary = Option<String?>(
    "dictionary", valueName: "path",
    help: "jieba-format dictionary (word frequency [tag] per line) for the built-in segmenter instead of jieba's "
      + "own, which scripts/setup installs; the HMM tables come from scripts/setup or $SHENZHOU_JIEBA_DIR.")
  static let noSegmentation = Flag(
    "no-word-segmentation",
    help: "Skip Chinese word segmentation: words are WordPiece words, so each CJK character is its own word.")
  static let skipInvalidUTF8 = Flag(
    "skip-invalid-utf8", help: "Skip lines that are not valid UTF-8 and count them, instead of stopping.")
  static let threads = Option<Int?>(
    "threads", constraint: .positive, valueName: "n",
    help: "Encoding threads; default: the number of processors. The output does not depend on it.")
  static let shardTokens = Option<Int>(
    "shard-tokens", default: 1 << 24, constraint: .positive, valueName: "n", unit: "tokens",
    help: "A shard ends at the first document boundary after this many tokens.")
  static let overwrite = Flag("overwrite", help: "Replace a corpus already prepared in the output directory.")

  static let configuration = CommandConfiguration(
    name: "prepare",
    abstract: "Tokenize text files into shards for pretraining.",
    discussion: """
      Each document is split into sentences after 。！？；… ! and ?, and after a
      period that a space or a CJK character follows, then tokenized with the
      WordPiece vocabulary. The output directory gets
      shard-NNNNN.szshard files (token ids, whole-word bits, sentence and document
      offsets) and manifest.json (counts, SHA-256 of every shard, the vocabulary
      checksum and these settings). Shards are written under temporary names and
      the manifest last, so a failed run leaves no corpus that looks complete.

      Progress (bytes, throughput, ETA) goes to stderr, the summary to stdout.
      A line that is not valid UTF-8 stops the command with its file, line and byte
      offset, unless --skip-invalid-utf8 is given.
      """,
    arguments: [
      corpus, vocab, model, output, maxSeqLen, docFormat, segmented, dropLeadingToken, stripTags, dictionary,
      noSegmentation,
      skipInvalidUTF8, threads, shardTokens, overwrite,
    ],
    exclusiveGroups: [ExclusiveGroup(vocab, model, required: true), ExclusiveGroup(segmented, dictionary, noSegmentation)])

  let corpusPaths: [String]
  let vocabPath: String?
  let modelDirectory: String?
  let outputDirectory: String
  let settings: PreparationSettings
  let dictionaryPath: String?
  let skipsSegmentation: Bool
  let threadCount: Int
  let overwrites: Bool

  init(parsed: ParsedArguments) throws {
    corpusPaths = try parsed[Self.corpus]
    vocabPath = try parsed[Self.vocab]
    modelDirectory = try parsed[Self.model]
    outputDirectory = try parsed[Self.output]
    dictionaryPath = try parsed[Self.dictionary]
    skipsSegmentation = try parsed[Self.noSegmentation]
    threadCount = try parsed[Self.threads] ?? ProcessInfo.processInfo.activeProcessorCount
    overwrites = try parsed[Self.overwrite]
    let isSegmented = try parsed[Self.segmented]
    let dropsLeadingToken = try parsed[Self.dropLeadingToken]
    let stripsTags = try parsed[Self.stripTags]
    if !isSegmented, dropsLeadingToken || !stripsTags {
      throw UsageError("--drop-leading-token and --no-strip-tags apply only with --segmented")
    }
    let format: DocumentFormat = try parsed[Self.docFormat] == .blank ? .blank : .line
    settings = PreparationSettings(
      documentFormat: format,
      segmentedInput: isSegmented
        ? SegmentedInputOptions(dropsLeadingToken: dropsLeadingToken, stripsPartOfSpeechTags: stripsTags) : nil,
      skipsInvalidUTF8: try parsed[Self.skipInvalidUTF8], maxTokensPerShard: try parsed[Self.shardTokens],
      maxSequenceLength: try parsed[Self.maxSeqLen])
  }

  func validate() throws {
    if outputDirectory.isEmpty { throw UsageError("--output must name a directory") }
  }

  func run() throws {
    let encoder = try makeEncoder()
    let console = PreparationConsole()
    let options = PreparationOptions(
      settings: settings, threadCount: threadCount, overwrites: overwrites,
      progressInterval: console.isTerminal ? 0.5 : 10)
    let report = try CorpusPreparer(encoder: encoder, options: options).prepare(
      corpus: corpusPaths, outputDirectory: outputDirectory
    ) { console.show($0) }
    try copyTokenizerFiles()
    print(PreparationConsole.summary(report))
  }

  /// Copies the vocabulary (or the model's tokenizer files) into the corpus directory, so that `pretrain` exports
  /// a model directory that fill-mask and transformers can tokenize for.
  private func copyTokenizerFiles() throws {
    var sources: [(String, String)] = []
    if let vocabPath {
      sources.append((vocabPath, "vocab.txt"))
    } else if let modelDirectory {
      for name in ["vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"] {
        let path = (modelDirectory as NSString).appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: path) { sources.append((path, name)) }
      }
    }
    for (source, name) in sources {
      let target = (outputDirectory as NSString).appendingPathComponent(name)
      if (source as NSString).standardizingPath == (target as NSString).standardizingPath { continue }
      try? FileManager.default.removeItem(atPath: target)
      try FileManager.default.copyItem(atPath: source, toPath: target)
    }
  }

  private func makeEncoder() throws -> BertPretrainingEncoder {
    var segmenter: ChineseSegmenter?
    var description = "none"
    if let dictionaryPath {
      segmenter = try ChineseSegmenter.load(dictionary: dictionaryPath)
      let digest = try BertPretrainingEncoder.fileSHA256(dictionaryPath)
      description = "jieba, dictionary \((dictionaryPath as NSString).lastPathComponent) sha256 \(digest)"
    } else if !skipsSegmentation && settings.segmentedInput == nil {
      // Whole-word masking needs word boundaries: the built-in segmenter with jieba's dictionary is the default.
      do {
        segmenter = try ChineseSegmenter.load()
      } catch {
        throw UsageError(
          "cannot load the built-in segmenter's dictionary (\(error)); run scripts/setup, give --dictionary, "
            + "or pass --no-word-segmentation")
      }
      description = "jieba (built-in segmenter, jieba 0.42.1 dictionary)"
    }
    if let vocabPath {
      return try BertPretrainingEncoder.load(
        vocabularyFile: vocabPath, segmenter: segmenter, segmentationDescription: description)
    }
    guard let modelDirectory else { throw UsageError("give --vocab or --model") }
    return try BertPretrainingEncoder.load(
      modelDirectory: modelDirectory, segmenter: segmenter, segmentationDescription: description)
  }
}

// MARK: - Console

/// Prints preparation progress to stderr: one line redrawn in place on a terminal, else one line per
/// report.
final class PreparationConsole {
  let isTerminal = isatty(STDERR_FILENO) == 1

  func show(_ progress: PreparationProgress) {
    var line = "prepare: " + String(format: "%5.1f%%", progress.fractionDone * 100)
    line += "  " + Self.formatBytes(Double(progress.bytesProcessed)) + " of "
      + Self.formatBytes(Double(progress.totalBytes))
    line += "  " + Self.formatBytes(progress.bytesPerSecond) + "/s"
    line += "  " + Self.formatCount(progress.tokensPerSecond) + " tokens/s"
    line += "  " + Self.formatCount(Double(progress.documents)) + " documents"
    if progress.skippedLines > 0 { line += "  \(progress.skippedLines) lines skipped" }
    if progress.isFinal {
      line += "  done in " + formatDuration(seconds: progress.elapsedSeconds)
    } else if let remaining = progress.estimatedSecondsRemaining {
      line += "  ETA " + formatDuration(seconds: remaining)
    }
    var text = line + "\n"
    if isTerminal {
      // Return to the line start and clear it, so that each report overwrites the previous one.
      text = "\r\u{1B}[K" + line
      if progress.isFinal { text += "\n" }
    }
    FileHandle.standardError.write(Data(text.utf8))
  }

  static func summary(_ report: PreparationReport) -> String {
    let counts = report.manifest.counts
    var text = "prepared \(counts.documents) documents, \(counts.sentences) sentences, \(counts.tokens) tokens "
    text += "in \(report.manifest.shards.count) shard\(report.manifest.shards.count == 1 ? "" : "s") "
    text += "at \(report.outputDirectory) (" + formatDuration(seconds: report.elapsedSeconds) + ")"
    if counts.skippedLines > 0 { text += "; skipped \(counts.skippedLines) invalid UTF-8 lines" }
    if let long = counts.longSentences, long > 0 {
      text += "; \(long) sentences exceed --max-seq-len and will be split by the loader"
    }
    return text
  }

  static func formatBytes(_ bytes: Double) -> String {
    let units = ["B", "KB", "MB", "GB", "TB"]
    var value = bytes
    var unit = 0
    while value >= 1000, unit < units.count - 1 {
      value /= 1000
      unit += 1
    }
    return unit == 0 ? String(format: "%.0f B", value) : String(format: "%.1f %@", value, units[unit])
  }

  static func formatCount(_ count: Double) -> String {
    if count >= 1e6 { return String(format: "%.2fM", count / 1e6) }
    if count >= 1e3 { return String(format: "%.1fk", count / 1e3) }
    return String(format: "%.0f", count)
  }
}
