/// The scores of one predictions file, printed by `shenzhou evaluate` as one JSON object.
public struct EvaluationReport: Sendable, Hashable {
  /// A named number of the report.
  public enum Value: Sendable, Hashable {
    /// A score in percent.
    case score(Double)
    case count(Int)
    /// Scores of one entity type: precision, recall and F1 in percent, and the entity counts.
    case breakdown([String: EntityMetric.Counts])
  }

  public struct Entry: Sendable, Hashable {
    public var name: String
    public var value: Value
  }

  public var task: String
  public var metric: TaskSpec.Metric
  /// Scores and counts in output order.
  public var entries: [Entry]

  /// Returns the score or count with this name as a number.
  public subscript(name: String) -> Double? {
    for entry in entries where entry.name == name {
      switch entry.value {
      case .score(let value): return value
      case .count(let value): return Double(value)
      case .breakdown: return nil
      }
    }
    return nil
  }

  /// Encodes the report as one line of JSON: `task`, `metric`, then the entries in order. Scores have at
  /// most 4 decimals.
  public func json() -> String {
    var members = [
      JSONObject.Member(key: "task", value: .string(task)),
      JSONObject.Member(key: "metric", value: .string(metric.rawValue)),
    ]
    for entry in entries {
      members.append(JSONObject.Member(key: entry.name, value: Self.node(entry.value)))
    }
    return JSONNode.object(JSONObject(members)).serialized()
  }

  private static func node(_ value: Value) -> JSONNode {
    switch value {
    case .score(let score): return .decimal(score)
    case .count(let count): return .integer(count)
    case .breakdown(let byType):
      let members = byType.keys.sorted().map { type -> JSONObject.Member in
        let counts = byType[type] ?? EntityMetric.Counts()
        let fields: [JSONObject.Member] = [
          .init(key: "precision", value: .decimal(counts.precision)),
          .init(key: "recall", value: .decimal(counts.recall)),
          .init(key: "f1", value: .decimal(counts.f1)),
          .init(key: "gold", value: .integer(counts.gold)),
          .init(key: "predicted", value: .integer(counts.predicted)),
          .init(key: "correct", value: .integer(counts.correct)),
        ]
        return JSONObject.Member(key: type, value: .object(JSONObject(fields)))
      }
      return .object(JSONObject(members))
    }
  }
}
