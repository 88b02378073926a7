import Foundation
import Testing
import ShenzhouNN

@Suite struct OptimStateTests {
  /// The optimizers whose checkpoints the tests round-trip.
  enum Algorithm: String, CaseIterable, Sendable {
    case adamWFused, adamWPerTensor, lambFused, lambPerTensor

    func make(_ groups: [ParameterGroup]) throws -> any Optimizer {
      switch self {
      case .adamWFused: try AdamW(groups: groups, usesFusedKernel: true)
      case .adamWPerTensor: try AdamW(groups: groups, usesFusedKernel: false)
      case .lambFused: try LAMB(groups: groups, usesFusedKernel: true)
      case .lambPerTensor: try LAMB(groups: groups, usesFusedKernel: false)
      }
    }
  }

  /// Runs reference steps `steps` on `model` with `optimizer`.
  static func run(_ optimizer: any Optimizer, _ model: Module, steps: Range<Int>) throws {
    let reference = try OptimReference.load()
    for step in steps {
      try setGradients(reference, step: step, on: model)
      try optimizer.step(lr: reference.lrs[step])
    }
  }

  static func makeModel() throws -> Module {
    let model = try makeReferenceModel()
    try loadInitialValues(try OptimReference.load(), into: model)
    return model
  }

  @Test(arguments: Algorithm.allCases) func resumeEqualsUninterrupted(algorithm: Algorithm) throws {
    let factory = algorithm.make
    let straight = try Self.makeModel()
    let straightOptimizer = try factory(try ParameterGroup.decayGroups(of: straight, weightDecay: 0.05))
    try Self.run(straightOptimizer, straight, steps: 0..<5)

    let first = try Self.makeModel()
    let firstOptimizer = try factory(try ParameterGroup.decayGroups(of: first, weightDecay: 0.05))
    try Self.run(firstOptimizer, first, steps: 0..<2)

    // Save as a checkpoint would: parameter and state bytes, and the scalar state as JSON.
    let savedParameters = try first.namedParameters().map { ($0.0, try roundTripThroughBytes($0.1.value)) }
    let savedState = try firstOptimizer.stateTensors().map { ($0.0, try roundTripThroughBytes($0.1)) }
    let json = try JSONEncoder().encode(firstOptimizer.scalarState())

    let resumed = try makeReferenceModel()
    let resumedParameters = Dictionary(uniqueKeysWithValues: resumed.namedParameters())
    for (name, value) in savedParameters { try #require(resumedParameters[name]).value.assign(value) }
    let resumedOptimizer = try factory(try ParameterGroup.decayGroups(of: resumed, weightDecay: 0))
    try resumedOptimizer.load(
      scalarState: try JSONDecoder().decode(OptimizerScalarState.self, from: json), stateTensors: savedState)
    #expect(resumedOptimizer.stepCount == 2)
    #expect(resumedOptimizer.groups[0].weightDecay == 0.05)
    try Self.run(resumedOptimizer, resumed, steps: 2..<5)

    for (expected, actual) in zip(straight.namedParameters(), resumed.namedParameters()) {
      let expectedBits = try expected.1.value.toArray(Float.self).map(\.bitPattern)
      let actualBits = try actual.1.value.toArray(Float.self).map(\.bitPattern)
      #expect(expectedBits == actualBits, "\(algorithm): \(expected.0) differs after resuming")
    }
    #expect(resumedOptimizer.stepCount == 5)
  }

  @Test func stateKeysAndLazyEntries() throws {
    let model = try Self.makeModel()
    let optimizer = try AdamW(groups: try ParameterGroup.decayGroups(of: model, weightDecay: 0.01))
    #expect(try optimizer.stateTensors().isEmpty)
    try Self.run(optimizer, model, steps: 0..<1)
    let state = Dictionary(uniqueKeysWithValues: try optimizer.stateTensors())
    #expect(state.count == 5 * 3)
    #expect(try state["encoder.dense.weight.step"]?.item() == 1)
    #expect(state["encoder.dense.weight.exp_avg"]?.shape == [3, 4])
    #expect(state["pooler.dense.weight.exp_avg"] == nil)

    // The reference gives encoder.dense.bias no gradient at step 2, so its step count stays one behind.
    try Self.run(optimizer, model, steps: 1..<3)
    let later = Dictionary(uniqueKeysWithValues: try optimizer.stateTensors())
    #expect(try later["encoder.dense.weight.step"]?.item() == 3)
    #expect(try later["encoder.dense.bias.step"]?.item() == 2)

    let scalars = optimizer.scalarState()
    #expect(scalars.algorithm == "adamw")
    #expect(scalars.stepCount == 3)
    #expect(scalars.hyperparameters == ["beta1": 0.9, "beta2": 0.999, "eps": 1e-8])
    #expect(scalars.groups.map(\.name) == ["decay", "no_decay"])
  }

  @Test func invalidCheckpointsRejected() throws {
    let model = try Self.makeModel()
    let optimizer = try AdamW(groups: try ParameterGroup.decayGroups(of: model, weightDecay: 0.01))
    try Self.run(optimizer, model, steps: 0..<1)
    let scalars = optimizer.scalarState()
    let state = try optimizer.stateTensors()

    let target = try AdamW(groups: try ParameterGroup.decayGroups(of: model, weightDecay: 0.01))
    var wrongAlgorithm = scalars
    wrongAlgorithm.algorithm = "lamb"
    #expect(throws: OptimizerError.self) { try target.load(scalarState: wrongAlgorithm, stateTensors: state) }

    var wrongGroups = scalars
    wrongGroups.groups[0].parameterNames.removeLast()
    #expect(throws: OptimizerError.self) { try target.load(scalarState: wrongGroups, stateTensors: state) }

    var missingHyperparameter = scalars
    missingHyperparameter.hyperparameters["beta2"] = nil
    #expect(throws: OptimizerError.self) { try target.load(scalarState: missingHyperparameter, stateTensors: state) }

    let wrongShape = try state.map { key, tensor in
      key == "encoder.dense.weight.exp_avg" ? (key, try Tensor.zeros([4, 3])) : (key, tensor)
    }
    #expect(throws: OptimizerError.self) { try target.load(scalarState: scalars, stateTensors: wrongShape) }

    let incomplete = state.filter { $0.0 != "encoder.dense.weight.exp_avg_sq" }
    #expect(throws: OptimizerError.self) { try target.load(scalarState: scalars, stateTensors: incomplete) }

    let unknown = state + [("encoder.other.weight.exp_avg", try Tensor.zeros([1]))]
    #expect(throws: OptimizerError.self) { try target.load(scalarState: scalars, stateTensors: unknown) }

    let fractionalStep = try state.map { key, tensor in
      key == "encoder.dense.weight.step" ? (key, try Tensor(scalar: Float(1.5))) : (key, tensor)
    }
    #expect(throws: OptimizerError.self) { try target.load(scalarState: scalars, stateTensors: fractionalStep) }

    // Every rejected load left the target untouched.
    #expect(target.stepCount == 0)
    #expect(try target.stateTensors().isEmpty)

    try target.load(scalarState: scalars, stateTensors: state)
    #expect(target.stepCount == 1)
    #expect(try target.stateTensors().count == state.count)
  }

  @Test func errorNamesFieldAndFix() throws {
    let parameter = try Parameter(Tensor.ones([2]))
    let optimizer = try LAMB(groups: [try ParameterGroup(name: "g", parameters: [("w", parameter)])])
    let saved = OptimizerScalarState(
      algorithm: "adamw", stepCount: 1, hyperparameters: ["beta1": 0.9, "beta2": 0.999, "eps": 1e-6],
      groups: [.init(name: "g", weightDecay: 0, lrScale: 1, parameterNames: ["w"])])
    do {
      try optimizer.load(scalarState: saved, stateTensors: [])
      Issue.record("loading AdamW state into LAMB succeeded")
    } catch let error as OptimizerError {
      #expect(error.field == "algorithm")
      #expect(error.description.contains("adamw"))
      #expect(error.description.contains("resume with the optimizer that wrote the checkpoint"))
    }
  }
}
