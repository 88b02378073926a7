/// Reading the HMM file that scripts/setup writes from jieba's `finalseg` tables.
///
/// The file is UTF-8 text, one entry per line, fields separated by single spaces; blank lines
/// and lines starting with `#` are skipped. Values are natural logarithms of probabilities.
///
///     shenzhou-segmentation-hmm 1        format name and version, the first entry
///     missing -3.14e+100                 score of unlisted entries (optional, default jieba's)
///     start B -0.26268660809250016       one per state B, E, M, S, all required
///     transition B E -0.51082562376599   from-state, to-state; unlisted pairs score `missing`
///     emission S U+4E00 -8.44            state, character as U+hex; unlisted score `missing`
///
/// Emissions of characters outside U+4E00...U+9FD5 are accepted and ignored, because the model
/// only tags characters of that range.
extension SegmentationHMM {
  static let formatName = "shenzhou-segmentation-hmm"
  static let formatVersion = 1

  /// Loads the model from the file at `path`.
  static func load(path: String) throws(SegmentationError) -> SegmentationHMM {
    let bytes = try SegmentationFile.readBytes(path: path)
    return try bytes.withUnsafeBufferPointer { buffer throws(SegmentationError) in
      try parse(buffer, path: path)
    }
  }

  static func parse(_ bytes: UnsafeBufferPointer<UInt8>, path: String)
    throws(SegmentationError) -> SegmentationHMM
  {
    var model = SegmentationHMM()
    var sawHeader = false
    var sawMissing = false
    var startSeen = [Bool](repeating: false, count: 4)
    var transitionSeen = [Bool](repeating: false, count: 16)
    var emissionSeen = [Bool](repeating: false, count: model.emission.count)

    try SegmentationFile.forEachLine(in: bytes) { lineNumber, rawRange throws(SegmentationError) in
      var range = SegmentationFile.trimASCIIWhitespace(rawRange, in: bytes)
      if lineNumber == 1 { range = SegmentationFile.droppingByteOrderMark(range, in: bytes) }
      if range.isEmpty || bytes[range.lowerBound] == UInt8(ascii: "#") { return }
      guard let line = SegmentationFile.string(bytes, range) else {
        throw .invalidUTF8(path: path, line: lineNumber)
      }
      let fields = line.split(separator: " ", omittingEmptySubsequences: false)
      func fail(_ field: String, _ message: String) -> SegmentationError {
        .invalidLine(path: path, line: lineNumber, field: field, message: message)
      }
      func requireFieldCount(_ count: Int, _ form: String) throws(SegmentationError) {
        if fields.count != count {
          throw fail("entry", "expected '\(form)' with single spaces, found '\(line)'")
        }
      }
      func state(_ index: Int) throws(SegmentationError) -> Int {
        let text = fields[index]
        guard text.count == 1, let state = stateLetters.firstIndex(of: text.first ?? " ") else {
          throw fail("state", "'\(text)' is not one of B, E, M, S")
        }
        return state
      }
      func value(_ index: Int) throws(SegmentationError) -> Double {
        let text = fields[index]
        guard let value = Double(text), value.isFinite else {
          throw fail("value", "'\(text)' is not a finite number")
        }
        return value
      }

      let keyword = fields[0]
      if !sawHeader {
        guard keyword == formatName else {
          throw fail("header", "expected '\(formatName) \(formatVersion)' as the first entry")
        }
        try requireFieldCount(2, "\(formatName) \(formatVersion)")
        guard fields[1] == "\(formatVersion)" else {
          throw fail(
            "version",
            "'\(fields[1])' is not supported; this build reads version \(formatVersion)")
        }
        sawHeader = true
        return
      }
      switch keyword {
      case "missing":
        try requireFieldCount(2, "missing VALUE")
        guard !sawMissing && !startSeen.contains(true) && !transitionSeen.contains(true)
          && !emissionSeen.contains(true)
        else {
          throw fail("entry", "'missing' must come once, before the start, transition and emission entries")
        }
        let missing = try value(1)
        model = SegmentationHMM(missingScore: missing)
        sawMissing = true
      case "start":
        try requireFieldCount(3, "start STATE VALUE")
        let to = try state(1)
        if startSeen[to] { throw fail("entry", "duplicate start entry for \(fields[1])") }
        model.start[to] = try value(2)
        startSeen[to] = true
      case "transition":
        try requireFieldCount(4, "transition FROM TO VALUE")
        let index = try state(1) * 4 + state(2)
        if transitionSeen[index] {
          throw fail("entry", "duplicate transition entry \(fields[1]) \(fields[2])")
        }
        model.transition[index] = try value(3)
        transitionSeen[index] = true
      case "emission":
        try requireFieldCount(4, "emission STATE U+HEX VALUE")
        let emitter = try state(1)
        let code = fields[2]
        guard code.hasPrefix("U+"), let scalar = UInt32(code.dropFirst(2), radix: 16),
          Unicode.Scalar(scalar) != nil
        else {
          throw fail("character", "'\(code)' is not a Unicode scalar written as U+ and hex digits")
        }
        let score = try value(3)
        guard scalar >= hanFirst && scalar <= hanLast else { return }
        let index = Int(scalar - hanFirst) * 4 + emitter
        if emissionSeen[index] {
          throw fail("entry", "duplicate emission entry \(fields[1]) \(code)")
        }
        model.emission[index] = score
        emissionSeen[index] = true
      default:
        throw fail("entry", "unknown entry '\(keyword)'; expected missing, start, transition or emission")
      }
    }

    guard sawHeader else {
      throw .invalidFile(
        path: path,
        message: "no entries; expected '\(formatName) \(formatVersion)' as the first entry")
    }
    if let absent = startSeen.firstIndex(of: false) {
      throw .invalidFile(
        path: path,
        message: "no start entry for state \(stateLetters[absent]); add 'start \(stateLetters[absent]) VALUE'")
    }
    return model
  }
}
