// MARK: - Packing configuration

/// Whether a packed sequence has one segment or two.
public enum SegmentLayout: String, Codable, Equatable, Sendable {
  /// `[CLS] sentences [SEP]`, token type 0 throughout.
  case single
  /// `[CLS] A [SEP] B [SEP]` with A and B split at a random sentence boundary; token type 0 for
  /// `[CLS] A [SEP]` and 1 for `B [SEP]`. A sequence of one sentence has no B segment.
  case pair
}

/// Settings for packing sentences into sequences.
public struct PackingConfiguration: Codable, Equatable, Sendable {
  /// Sequence length including the special tokens.
  public var maxSequenceLength: Int
  /// Packs sentences of the next document into the same sequence, separated by [SEP]. When false, a
  /// sequence ends at each document's end.
  public var crossesDocuments: Bool
  public var segmentLayout: SegmentLayout

  public init(maxSequenceLength: Int = 512, crossesDocuments: Bool = true, segmentLayout: SegmentLayout = .single) {
    self.maxSequenceLength = maxSequenceLength
    self.crossesDocuments = crossesDocuments
    self.segmentLayout = segmentLayout
  }

  /// Tokens left for text after [CLS] and the closing [SEP] tokens.
  var textCapacity: Int {
    maxSequenceLength - (segmentLayout == .pair ? 3 : 2)
  }
}

// MARK: - Packing plan

/// One packed sequence: a token range of one shard, and where its B segment starts.
struct PackedInstance: Equatable, Sendable {
  var shard: Int
  var tokenStart: Int
  var tokenEnd: Int
  /// Token offset where segment B starts, or `tokenEnd` when there is no B segment.
  var segmentBStart: Int
}

/// The fixed list of packed sequences of a corpus, built once in one pass over the sentence offsets.
///
/// Whole sentences are packed greedily until the next one would not fit. A sentence longer than the
/// text capacity is cut into capacity-sized pieces, each its own sequence. Sequences never span shards,
/// so each shard ends with at most one short sequence. A [SEP] between documents counts toward the
/// length, except where it coincides with the A/B boundary.
struct PackingPlan: Sendable {
  let instances: [PackedInstance]

  init(corpus: PretrainingCorpus, configuration: PackingConfiguration, seed: UInt64) {
    var instances: [PackedInstance] = []
    let capacity = configuration.textCapacity
    for (shardIndex, shard) in corpus.shards.enumerated() {
      var splitGenerator = Xoshiro256StarStar(seed: seed, streams: 0x5041_434b, UInt64(shardIndex))
      var packStart = -1
      var packEnd = -1
      var packLength = 0
      var sentenceStarts: [Int] = []

      func flush() {
        guard packStart >= 0 else { return }
        var segmentBStart = packEnd
        if configuration.segmentLayout == .pair, !sentenceStarts.isEmpty {
          segmentBStart = sentenceStarts[splitGenerator.nextIndex(below: sentenceStarts.count)]
        }
        instances.append(
          PackedInstance(shard: shardIndex, tokenStart: packStart, tokenEnd: packEnd, segmentBStart: segmentBStart))
        packStart = -1
        packEnd = -1
        packLength = 0
        sentenceStarts.removeAll(keepingCapacity: true)
      }

      for document in 0..<shard.documentCount {
        if !configuration.crossesDocuments { flush() }
        let sentences = shard.documentSentences(document)
        for sentence in sentences {
          let tokens = shard.sentenceTokens(sentence)
          if tokens.count > capacity {
            flush()
            var pieceStart = tokens.lowerBound
            while pieceStart < tokens.upperBound {
              let pieceEnd = min(pieceStart + capacity, tokens.upperBound)
              instances.append(
                PackedInstance(shard: shardIndex, tokenStart: pieceStart, tokenEnd: pieceEnd, segmentBStart: pieceEnd))
              pieceStart = pieceEnd
            }
            continue
          }
          let separatorCost = packStart >= 0 && sentence == sentences.lowerBound ? 1 : 0
          if packStart >= 0, packLength + separatorCost + tokens.count > capacity {
            flush()
          }
          if packStart < 0 {
            packStart = tokens.lowerBound
            packLength = tokens.count
          } else {
            sentenceStarts.append(tokens.lowerBound)
            packLength += (sentence == sentences.lowerBound ? 1 : 0) + tokens.count
          }
          packEnd = tokens.upperBound
        }
      }
      flush()
    }
    self.instances = instances
  }
}
