import ShenzhouModels

/// Padded model input and targets for a list of features.
public struct TaskBatch: Sendable {
  /// int64 tensors of shape [B, T], or [B, C, T] when the batch is laid out by choices.
  public var inputs: BertInputs
  /// bool [B, C], true for real choices; set only for a batch laid out by choices.
  public var choiceMask: Tensor?
  /// int64 [B] class or choice indices, [B, T] token labels (-100 at padding), or [B] span starts; nil when the
  /// features have no targets.
  public var labels: Tensor?
  /// int64 [B] span ends; set only for span targets.
  public var endLabels: Tensor?
  /// Number of features in the batch.
  public var count: Int
}

// MARK: - Collation

extension TaskBatch {
  /// Pads `features` on the right to the longest row of the batch, as transformers' `DataCollatorWithPadding`
  /// does, and builds the tensors on `device`.
  ///
  /// With `byChoices`, every feature becomes C rows, C being the most choices of any feature. A feature with
  /// fewer choices gets rows of `[CLS] [SEP]` (`clsID`, `sepID`), masked out in `choiceMask`. Such rows attend to
  /// two real tokens, because a row with no attended token would put NaN into the attention.
  ///
  /// - Throws: `FinetuneError.mixedTargets` when the features carry different kinds of targets.
  public static func collate(
    _ features: [TaskFeature], padID: Int32, clsID: Int32, sepID: Int32, byChoices: Bool, device: Device
  ) throws -> TaskBatch {
    let batch = features.count
    let choices = byChoices ? features.map(\.rows.count).max() ?? 1 : 1
    let length = features.flatMap(\.rows).map(\.ids.count).max() ?? 0
    let filler = FeatureRow(ids: [clsID, sepID], typeIDs: [0, 0])

    var ids = [Int64](repeating: Int64(padID), count: batch * choices * length)
    var types = [Int64](repeating: 0, count: batch * choices * length)
    var mask = [Int64](repeating: 0, count: batch * choices * length)
    var realChoices = [Bool](repeating: false, count: batch * choices)
    for (featureIndex, feature) in features.enumerated() {
      for choice in 0..<choices {
        let isReal = choice < feature.rows.count
        let row = isReal ? feature.rows[choice] : filler
        realChoices[featureIndex * choices + choice] = isReal
        let base = (featureIndex * choices + choice) * length
        for (position, id) in row.ids.enumerated() {
          ids[base + position] = Int64(id)
          types[base + position] = Int64(row.typeIDs[position])
          mask[base + position] = 1
        }
      }
    }
    let shape = byChoices ? [batch, choices, length] : [batch, length]
    let inputs = BertInputs(
      inputIds: try Tensor(ids, shape: shape).to(device: device),
      tokenTypeIds: try Tensor(types, shape: shape).to(device: device),
      attentionMask: try Tensor(mask, shape: shape).to(device: device))
    let choiceMask = byChoices ? try Tensor(realChoices, shape: [batch, choices]).to(device: device) : nil
    let (labels, endLabels) = try targets(features, length: length, device: device)
    return TaskBatch(inputs: inputs, choiceMask: choiceMask, labels: labels, endLabels: endLabels, count: batch)
  }

  private static func targets(_ features: [TaskFeature], length: Int, device: Device) throws
    -> (labels: Tensor?, endLabels: Tensor?)
  {
    guard let first = features.first else { return (nil, nil) }
    if let other = features.first(where: { $0.target.kind != first.target.kind }) {
      throw FinetuneError.mixedTargets("\(first.target.kind) and \(other.target.kind)")
    }
    switch first.target {
    case .none:
      return (nil, nil)
    case .classIndex:
      let values = features.map { feature -> Int64 in
        if case .classIndex(let index) = feature.target { return Int64(index) }
        return -100
      }
      return (try Tensor(values).to(device: device), nil)
    case .tokenLabels:
      var values = [Int64](repeating: -100, count: features.count * length)
      for (row, feature) in features.enumerated() {
        guard case .tokenLabels(let labels) = feature.target else { continue }
        for (position, label) in labels.prefix(length).enumerated() {
          values[row * length + position] = Int64(label)
        }
      }
      return (try Tensor(values, shape: [features.count, length]).to(device: device), nil)
    case .span:
      var starts: [Int64] = []
      var ends: [Int64] = []
      for feature in features {
        guard case .span(let start, let end) = feature.target else { continue }
        starts.append(Int64(start))
        ends.append(Int64(end))
      }
      return (try Tensor(starts).to(device: device), try Tensor(ends).to(device: device))
    }
  }
}
