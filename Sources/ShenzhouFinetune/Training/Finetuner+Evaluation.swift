import ShenzhouModels
import ShenzhouText

extension Finetuner {
  // MARK: - Encoding

  /// Encodes examples into features in example order, adding the set name and example index to errors.
  ///
  /// - Parameter set: `train`, `dev` or `predict`, named in errors.
  public func encode(_ examples: [Task.Example], set: String) throws -> [TaskFeature] {
    var features: [TaskFeature] = []
    features.reserveCapacity(examples.count)
    for (index, example) in examples.enumerated() {
      do {
        features += try task.features(
          of: example, exampleIndex: index, tokenizer: tokenizer, maxLength: config.maxLength)
      } catch let error as ExampleError {
        throw FinetuneError.invalidExample(set: set, index: index, message: error.message)
      } catch let error as TokenizerError {
        throw FinetuneError.invalidExample(set: set, index: index, message: error.description)
      }
    }
    return features
  }

  // MARK: - Evaluation and prediction

  /// Predicts `examples` and scores the predictions with the metric of the task or of the caller.
  public func evaluate(_ examples: [Task.Example]) throws -> (metrics: EvaluationMetrics, predictions: [Task.Prediction])
  {
    try evaluate(features: encode(examples, set: "dev"), examples: examples)
  }

  /// Returns one prediction per example, computed in evaluation mode without dropout.
  public func predict(_ examples: [Task.Example]) throws -> [Task.Prediction] {
    let features = try encode(examples, set: "predict")
    return try task.predictions(outputs: outputs(for: features), features: features, examples: examples)
  }

  func evaluate(features: [TaskFeature], examples: [Task.Example]) throws
    -> (metrics: EvaluationMetrics, predictions: [Task.Prediction])
  {
    let predictions = try task.predictions(outputs: outputs(for: features), features: features, examples: examples)
    let metrics = try metric?(predictions, examples) ?? task.evaluate(predictions: predictions, examples: examples)
    return (metrics, predictions)
  }

  /// Runs the model over `features` in batches of `evalBatchSize`, in evaluation mode and without gradients, and
  /// returns each feature's outputs on the host. The model's mode is restored afterwards.
  func outputs(for features: [TaskFeature]) throws -> [FeatureOutput] {
    let wasTraining = model.isTraining
    model.eval()
    defer { model.train(wasTraining) }
    var result: [FeatureOutput] = []
    result.reserveCapacity(features.count)
    try withNoGrad {
      var start = 0
      while start < features.count {
        let end = Swift.min(start + config.evalBatchSize, features.count)
        var batch = try collate(Array(features[start..<end]))
        batch.labels = nil
        batch.endLabels = nil
        let outputs = try run(batch).outputs.to(dtype: .float32, device: .cpu)
        let values = try outputs.toArray(Float.self)
        let shape = Array(outputs.shape.dropFirst())
        let stride = shape.reduce(1, *)
        for row in 0..<(end - start) {
          result.append(FeatureOutput(values: Array(values[(row * stride)..<((row + 1) * stride)]), shape: shape))
        }
        start = end
      }
    }
    return result
  }
}
