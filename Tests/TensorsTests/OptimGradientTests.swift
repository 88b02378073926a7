import Testing
import ShenzhouNN

@Suite struct OptimGradientTests {
  // MARK: - Clipping

  @Test func clipMatchesTorch() throws {
    let reference = try OptimReference.load()
    #expect(reference.clipping.count == 3)
    for (index, expected) in reference.clipping.enumerated() {
      let parameters = try expected.shapes.map { try Parameter(Tensor.zeros($0)) }
      for (parameter, (grad, shape)) in zip(parameters, zip(expected.grads, expected.shapes)) {
        try parameter.value.setGrad(Tensor(grad.map { Float($0) }, shape: shape))
      }
      let norm = try clipGradNorm(parameters, maxNorm: expected.maxNorm)
      #expect(
        Swift.abs(norm - expected.totalNorm) <= 1e-6 * expected.totalNorm,
        "case \(index): norm \(norm) != \(expected.totalNorm)")
      for (position, (parameter, clipped)) in zip(parameters, expected.clipped).enumerated() {
        let difference = try maxAbsoluteDifference(try #require(parameter.grad), clipped)
        #expect(difference <= 1e-7, "case \(index), gradient \(position): max |difference| \(difference)")
      }
    }
  }

  @Test func clipSkipsMissingGradients() throws {
    let withGrad = try Parameter(Tensor.zeros([2]))
    let withoutGrad = try Parameter(Tensor.zeros([2]))
    try withGrad.value.setGrad(Tensor([3, 4] as [Float]))
    let norm = try clipGradNorm([withGrad, withoutGrad], maxNorm: 1)
    #expect(Swift.abs(norm - 5) < 1e-6)
    #expect(withoutGrad.grad == nil)
    let clipped = try #require(withGrad.grad).toArray(Float.self)
    #expect(Swift.abs(clipped[0] - 0.6) < 1e-6)
    #expect(Swift.abs(clipped[1] - 0.8) < 1e-6)
    #expect(try clipGradNorm([withoutGrad], maxNorm: 1) == 0)
    #expect(throws: OptimizerError.self) { try clipGradNorm([withGrad], maxNorm: -1) }
  }

  // MARK: - Non-finite check

  @Test func nonFiniteDetected() throws {
    let first = try Parameter(Tensor.zeros([4]))
    let second = try Parameter(Tensor.zeros([2, 3]))
    let values: [Float] = [1, -2, 3.5, 0]
    try first.value.setGrad(Tensor(values))
    try second.value.setGrad(Tensor.ones([2, 3]))
    #expect(try hasNonFiniteGradients([first, second]) == false)
    #expect(try #require(first.grad).toArray(Float.self) == values)

    for bad in [Float.infinity, -Float.infinity, Float.nan] {
      var poisoned = [Float](repeating: 1, count: 6)
      poisoned[4] = bad
      try second.value.setGrad(Tensor(poisoned, shape: [2, 3]))
      #expect(try hasNonFiniteGradients([first, second]), "\(bad) not detected")
      let after = try #require(second.grad).toArray(Float.self)
      #expect(after.map(\.bitPattern) == poisoned.map(\.bitPattern), "the check changed the gradient")
    }
    #expect(try hasNonFiniteGradients([]) == false)
  }

  @Test func nonFiniteInHalfPrecision() throws {
    let parameter = try Parameter(Tensor.zeros([3], dtype: .bfloat16))
    try parameter.value.setGrad(Tensor([1, .nan, 2] as [Float]).to(dtype: .bfloat16))
    #expect(try hasNonFiniteGradients([parameter]))
    try parameter.value.setGrad(Tensor([1, 65504, 2] as [Float]).to(dtype: .bfloat16))
    #expect(try hasNonFiniteGradients([parameter]) == false)
  }

  // MARK: - Accumulation

  /// Mean squared error of a linear layer on rows `rows` of the batch.
  static func loss(_ layer: Linear, _ inputs: Tensor, _ targets: Tensor, rows: Range<Int>) throws -> Tensor {
    let x = try inputs.slice(dim: 0, start: rows.lowerBound, end: rows.upperBound)
    let y = try targets.slice(dim: 0, start: rows.lowerBound, end: rows.upperBound)
    return try (layer(x) - y).square().mean()
  }

  static func gradients(_ layer: Linear) throws -> [[Float]] {
    try layer.namedParameters().map { try #require($0.1.grad).toArray(Float.self) }
  }

  @Test func accumulationEqualsFullBatch() throws {
    let generator = try Generator(seed: 7)
    let inputs = try Tensor.randn([8, 4], generator: generator)
    let targets = try Tensor.randn([8, 3], generator: generator)
    let full = try Linear(inFeatures: 4, outFeatures: 3, generator: generator)
    let accumulated = try Linear(inFeatures: 4, outFeatures: 3)
    for (target, source) in zip(accumulated.namedParameters(), full.namedParameters()) {
      try target.1.value.assign(source.1.value)
    }

    try Self.loss(full, inputs, targets, rows: 0..<8).backward()
    let microBatches = 4
    for index in 0..<microBatches {
      let loss = try Self.loss(accumulated, inputs, targets, rows: (index * 2)..<(index * 2 + 2))
      try (loss / Double(microBatches)).backward()
    }
    for (expected, actual) in zip(try Self.gradients(full), try Self.gradients(accumulated)) {
      let difference = maxAbsoluteDifference(actual, expected)
      #expect(difference <= 1e-6, "max |difference| \(difference)")
    }

    let fullOptimizer = try AdamW(groups: try ParameterGroup.decayGroups(of: full, weightDecay: 0.01))
    let accumulatedOptimizer = try AdamW(groups: try ParameterGroup.decayGroups(of: accumulated, weightDecay: 0.01))
    try fullOptimizer.step(lr: 1e-3)
    try accumulatedOptimizer.step(lr: 1e-3)
    for (expected, actual) in zip(full.namedParameters(), accumulated.namedParameters()) {
      let difference = try maxAbsoluteDifference(actual.1.value, try expected.1.value.toArray(Double.self))
      #expect(difference <= 1e-6, "\(expected.0): max |difference| \(difference)")
    }
  }

  @Test func summedLossScaledOnce() throws {
    let generator = try Generator(seed: 11)
    let inputs = try Tensor.randn([6, 4], generator: generator)
    let targets = try Tensor.randn([6, 3], generator: generator)
    let full = try Linear(inFeatures: 4, outFeatures: 3, generator: generator)
    let summed = try Linear(inFeatures: 4, outFeatures: 3)
    for (target, source) in zip(summed.namedParameters(), full.namedParameters()) {
      try target.1.value.assign(source.1.value)
    }

    try Self.loss(full, inputs, targets, rows: 0..<6).backward()
    // Micro-batches of 1 and 5 rows: dividing each mean by 2 would weight them wrongly, summing does not.
    for rows in [0..<1, 1..<6] {
      let x = try inputs.slice(dim: 0, start: rows.lowerBound, end: rows.upperBound)
      let y = try targets.slice(dim: 0, start: rows.lowerBound, end: rows.upperBound)
      try (summed(x) - y).square().sum().backward()
    }
    try scaleGradients(summed.namedParameters().map(\.1), by: 1.0 / Double(6 * 3))
    for (expected, actual) in zip(try Self.gradients(full), try Self.gradients(summed)) {
      let difference = maxAbsoluteDifference(actual, expected)
      #expect(difference <= 1e-6, "max |difference| \(difference)")
    }
  }
}
