/// A Chinese word segmenter that reproduces jieba 0.42.1's default mode, `jieba.cut(text)`
/// with `HMM=True`.
///
/// Text is split into blocks of Han characters (U+4E00...U+9FD5), ASCII letters and digits, and
/// `+ # & . _ % -`; every other character is a word by itself, except that "\r\n" stays one
/// word. In a block, every dictionary word that starts at each position forms a graph, and the
/// path with the largest sum of log(frequency / total) wins. Runs of single characters on that
/// path which are not a dictionary word together go to a BMES hidden Markov model, which can
/// join characters the dictionary does not know, such as personal names.
///
/// Word boundaries are `[start, end)` ranges of Unicode scalar offsets into the text.
///
/// The segmenter is a value: `add(word:freq:)` and `loadUserDictionary(path:)` change only the
/// copy they are called on. Cutting does not mutate it, so one instance may be used from many
/// threads at once.
///
/// ```swift
/// var segmenter = try ChineseSegmenter.load()
/// try segmenter.add(word: "云计算")
/// segmenter.words(in: "他来到了网易杭研大厦")  // ["他", "来到", "了", "网易", "杭研", "大厦"]
/// ```
public struct ChineseSegmenter: Sendable {
  // MARK: - State

  let dictionary: PrefixDictionary
  let model: SegmentationHMM
  var userWords = UserWordOverlay()
  /// Words added with frequency 0. Like jieba, the HMM output splits them into single
  /// characters, and adding the word again with a higher frequency does not undo that.
  var forcedSplits: Set<[UInt32]> = []
  /// Sum of all dictionary frequencies, user words included: the denominator of every word
  /// probability.
  public internal(set) var total: Int64
  var logTotal: Double

  /// Number of distinct words with a frequency above zero in the compiled dictionary, user
  /// words not included.
  public var dictionaryWordCount: Int { dictionary.wordCount }

  init(dictionary: PrefixDictionary, model: SegmentationHMM) {
    self.dictionary = dictionary
    self.model = model
    total = dictionary.total
    logTotal = PrefixDictionary.naturalLog(Double(max(dictionary.total, 1)))
  }

  // MARK: - Loading

  /// Loads a dictionary in jieba's `word frequency [tag]` format and an HMM file in the format
  /// that `scripts/setup` writes (see `SegmentationHMM`).
  ///
  /// A nil path selects the default file, `dict.txt` or `hmm.txt`, which setup converts from the
  /// PyPI jieba 0.42.1 package into `.deps/jieba/`. The default folder is `$SHENZHOU_JIEBA_DIR`
  /// when set, else the first `.deps/jieba` found in the current directory, the executable's
  /// directory, or one of their parents.
  ///
  /// - Throws: `SegmentationError` naming the file and line of an invalid entry, or listing the
  ///   folders searched when a default file is missing.
  public static func load(dictionary: String? = nil, hmm: String? = nil)
    throws(SegmentationError) -> ChineseSegmenter
  {
    var dictionaryPath = dictionary ?? ""
    if dictionary == nil { dictionaryPath = try defaultDataPath(file: defaultDictionaryFile) }
    var hmmPath = hmm ?? ""
    if hmm == nil { hmmPath = try defaultDataPath(file: defaultHMMFile) }
    let compiled = try PrefixDictionary.load(path: dictionaryPath)
    let model = try SegmentationHMM.load(path: hmmPath)
    return ChineseSegmenter(dictionary: compiled, model: model)
  }

  // MARK: - Cutting

  /// Returns the words of `text` as `[start, end)` Unicode scalar offsets, in order, covering
  /// every scalar of the text once.
  ///
  /// - Parameter hmm: Whether runs of characters the dictionary does not join go to the HMM
  ///   (jieba's `HMM=True`, the default). Without it, adjacent single ASCII letters and digits
  ///   are joined instead, as jieba does with `HMM=False`.
  public func cut(_ text: String, hmm: Bool = true) -> [Range<Int>] {
    cut(scalars: Self.scalarValues(of: text), hmm: hmm)
  }

  /// Returns the words of a text given as Unicode scalar values; see `cut(_:hmm:)`.
  public func cut(scalars: [UInt32], hmm: Bool = true) -> [Range<Int>] {
    var words: [Range<Int>] = []
    words.reserveCapacity(scalars.count / 2 + 1)
    scalars.withUnsafeBufferPointer { buffer in
      appendWords(of: buffer, hmm: hmm, into: &words)
    }
    return words
  }

  /// Returns the words of `text` as strings, in order; see `cut(_:hmm:)`.
  public func words(in text: String, hmm: Bool = true) -> [String] {
    let scalars = Array(text.unicodeScalars)
    let values = scalars.map(\.value)
    return cut(scalars: values, hmm: hmm).map { range in
      var word = String.UnicodeScalarView()
      word.append(contentsOf: scalars[range])
      return String(word)
    }
  }

  static func scalarValues(of text: String) -> [UInt32] {
    var values: [UInt32] = []
    values.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      values.append(scalar.value)
    }
    return values
  }
}
