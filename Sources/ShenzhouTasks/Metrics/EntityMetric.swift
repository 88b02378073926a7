/// Entity-level micro precision, recall and F1: a predicted entity counts as correct only when a
/// gold entity of the same sentence has the same type, start and end.
public struct EntityMetric: Sendable, Hashable {
  /// Counts for one entity type, or for all of them.
  public struct Counts: Sendable, Hashable {
    public var gold = 0
    public var predicted = 0
    public var correct = 0

    public init(gold: Int = 0, predicted: Int = 0, correct: Int = 0) {
      self.gold = gold
      self.predicted = predicted
      self.correct = correct
    }

    /// Precision in percent, 0 when nothing was predicted.
    public var precision: Double { predicted == 0 ? 0 : 100 * Double(correct) / Double(predicted) }
    /// Recall in percent, 0 when there is no gold entity.
    public var recall: Double { gold == 0 ? 0 : 100 * Double(correct) / Double(gold) }
    /// The harmonic mean of precision and recall in percent, 0 when both are 0.
    public var f1: Double {
      let sum = precision + recall
      return sum == 0 ? 0 : 2 * precision * recall / sum
    }
  }

  public private(set) var overall = Counts()
  public private(set) var byType: [String: Counts] = [:]
  public private(set) var sentences = 0

  public init() {}

  /// Adds one sentence's entities. Repeated entities count once.
  public mutating func add(predicted: [EntitySpan], gold: [EntitySpan]) {
    sentences += 1
    let goldSet = Set(gold)
    let predictedSet = Set(predicted)
    for entity in goldSet {
      overall.gold += 1
      byType[entity.type, default: Counts()].gold += 1
    }
    for entity in predictedSet {
      overall.predicted += 1
      byType[entity.type, default: Counts()].predicted += 1
      if goldSet.contains(entity) {
        overall.correct += 1
        byType[entity.type, default: Counts()].correct += 1
      }
    }
  }
}
