/// Word list parsed from a dictionary file, before it is compiled into a trie.
struct DictionaryWordList {
  /// Scalars of all words, back to back.
  var scalars: [UInt32] = []
  /// Word `i` is `scalars[offsets[i]..<offsets[i + 1]]`.
  var offsets: [Int32] = [0]
  var frequencies: [Int64] = []
  /// Sum of all frequencies, repeated words counted each time.
  var total: Int64 = 0

  var count: Int { frequencies.count }
}

extension PrefixDictionary {
  // MARK: - Text format

  /// Loads a dictionary in jieba's format: one `word frequency [tag]` line per word, fields
  /// separated by single spaces, UTF-8.
  ///
  /// As in jieba 0.42.1, a later line for the same word replaces its frequency, but every line
  /// adds to `total`. The word ends at the first space, and the tag and any further fields are
  /// ignored. Unlike jieba, the loader skips blank lines and a leading byte order mark.
  static func load(path: String) throws(SegmentationError) -> PrefixDictionary {
    let bytes = try SegmentationFile.readBytes(path: path)
    let words = try bytes.withUnsafeBufferPointer { buffer throws(SegmentationError) in
      try parseWordList(buffer, path: path)
    }
    return build(words)
  }

  static func parseWordList(_ bytes: UnsafeBufferPointer<UInt8>, path: String)
    throws(SegmentationError) -> DictionaryWordList
  {
    var words = DictionaryWordList()
    words.scalars.reserveCapacity(bytes.count / 3)
    try SegmentationFile.forEachLine(in: bytes) { lineNumber, rawRange throws(SegmentationError) in
      var range = SegmentationFile.trimASCIIWhitespace(rawRange, in: bytes)
      if lineNumber == 1 { range = SegmentationFile.droppingByteOrderMark(range, in: bytes) }
      if range.isEmpty { return }

      var space = range.lowerBound
      while space < range.upperBound && bytes[space] != 0x20 { space += 1 }
      let frequencyStart = space + 1
      var frequencyEnd = frequencyStart
      while frequencyEnd < range.upperBound && bytes[frequencyEnd] != 0x20 { frequencyEnd += 1 }
      guard space < range.upperBound else {
        throw .invalidLine(
          path: path, line: lineNumber, field: "frequency",
          message: "missing; expected 'word frequency [tag]' separated by single spaces")
      }
      guard let frequency = parseFrequency(bytes, frequencyStart..<frequencyEnd) else {
        let text = SegmentationFile.string(bytes, frequencyStart..<frequencyEnd) ?? "?"
        throw .invalidLine(
          path: path, line: lineNumber, field: "frequency",
          message: "'\(text)' is not a non-negative integer below 2^63")
      }
      guard SegmentationFile.decodeUTF8(bytes, range.lowerBound..<space, into: &words.scalars)
      else {
        throw .invalidUTF8(path: path, line: lineNumber)
      }
      let (sum, overflow) = words.total.addingReportingOverflow(frequency)
      guard !overflow else {
        throw .invalidLine(
          path: path, line: lineNumber, field: "frequency",
          message: "the sum of all frequencies exceeds 2^63 - 1; scale the frequencies down")
      }
      guard words.scalars.count < Int32.max else {
        throw .invalidLine(
          path: path, line: lineNumber, field: "word",
          message: "the dictionary exceeds 2^31 - 1 characters in all; split it or remove words")
      }
      words.total = sum
      words.frequencies.append(frequency)
      words.offsets.append(Int32(truncatingIfNeeded: words.scalars.count))
    }
    return words
  }

  /// Parses ASCII digits; returns nil when the range is empty, has another byte, or overflows.
  static func parseFrequency(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int64? {
    if range.isEmpty { return nil }
    var value: Int64 = 0
    for index in range {
      let digit = Int64(bytes[index]) - 0x30
      guard digit >= 0 && digit <= 9 else { return nil }
      let (product, overflowMultiply) = value.multipliedReportingOverflow(by: 10)
      let (sum, overflowAdd) = product.addingReportingOverflow(digit)
      guard !overflowMultiply && !overflowAdd else { return nil }
      value = sum
    }
    return value
  }

  // MARK: - Compilation

  /// Compiles a word list into the breadth-first trie. Where a word occurs more than once, its
  /// last frequency wins.
  static func build(_ words: DictionaryWordList) -> PrefixDictionary {
    let order = sortedUniqueWordIndices(words)

    var labels: [UInt32] = [0]
    var firstChild: [Int32] = []
    var frequencies: [Int64] = [0]
    labels.reserveCapacity(order.count * 2)
    frequencies.reserveCapacity(order.count * 2)
    firstChild.reserveCapacity(order.count * 2)

    words.scalars.withUnsafeBufferPointer { scalars in
      words.offsets.withUnsafeBufferPointer { offsets in
        // Nodes of one depth, in id order; each covers the sorted words order[low..<high] that
        // start with its prefix.
        var level: [(low: Int, high: Int)] = [(0, order.count)]
        var depth = 0
        while !level.isEmpty {
          var nextLevel: [(low: Int, high: Int)] = []
          nextLevel.reserveCapacity(level.count)
          for (low, high) in level {
            let node = firstChild.count
            firstChild.append(Int32(truncatingIfNeeded: labels.count))
            var index = low
            if index < high {
              let word = Int(order[index])
              if Int(offsets[word + 1] - offsets[word]) == depth {
                frequencies[node] = words.frequencies[word]
                index += 1
              }
            }
            while index < high {
              let label = scalars[Int(offsets[Int(order[index])]) + depth]
              var end = index + 1
              while end < high && scalars[Int(offsets[Int(order[end])]) + depth] == label {
                end += 1
              }
              labels.append(label)
              frequencies.append(0)
              nextLevel.append((index, end))
              index = end
            }
          }
          level = nextLevel
          depth += 1
        }
      }
    }
    firstChild.append(Int32(truncatingIfNeeded: labels.count))
    return PrefixDictionary(
      labels: labels, firstChild: firstChild, frequencies: frequencies, total: words.total)
  }

  /// Returns word indices sorted by their scalars, keeping only the last line of a repeated
  /// word and dropping empty words.
  private static func sortedUniqueWordIndices(_ words: DictionaryWordList) -> [Int32] {
    var order = (0..<Int32(words.count)).filter { words.offsets[Int($0) + 1] > words.offsets[Int($0)] }
    words.scalars.withUnsafeBufferPointer { scalars in
      words.offsets.withUnsafeBufferPointer { offsets in
        func compare(_ left: Int32, _ right: Int32) -> Int {
          var leftIndex = Int(offsets[Int(left)])
          let leftEnd = Int(offsets[Int(left) + 1])
          var rightIndex = Int(offsets[Int(right)])
          let rightEnd = Int(offsets[Int(right) + 1])
          while leftIndex < leftEnd && rightIndex < rightEnd {
            let a = scalars[leftIndex]
            let b = scalars[rightIndex]
            if a != b { return a < b ? -1 : 1 }
            leftIndex += 1
            rightIndex += 1
          }
          return (leftEnd - leftIndex) - (rightEnd - rightIndex)
        }
        order.sort { left, right in
          let order = compare(left, right)
          return order != 0 ? order < 0 : left < right
        }
        var unique: [Int32] = []
        unique.reserveCapacity(order.count)
        for position in order.indices {
          if position + 1 < order.count && compare(order[position], order[position + 1]) == 0 {
            continue
          }
          unique.append(order[position])
        }
        order = unique
      }
    }
    return order
  }
}
