import Foundation
import Testing
import ShenzhouNN

@Suite struct OptimScheduleTests {
  @Test func schedulesMatchTransformers() throws {
    let reference = try OptimReference.load()
    #expect(reference.schedules.count == 7)
    for (index, expected) in reference.schedules.enumerated() {
      let kind = try #require(LRSchedule.Kind(rawValue: expected.kind))
      let schedule = try LRSchedule(
        kind: kind, peakLR: expected.peak, warmupSteps: expected.warmup, totalSteps: expected.total,
        minLRRatio: expected.minRatio, cycles: expected.cycles)
      for (step, lr) in expected.lrs.enumerated() {
        // Python and Swift call the same libm here, so the values agree to the last bit.
        #expect(schedule.lr(step: step) == lr, "case \(index) (\(expected.kind)), step \(step)")
      }
    }
  }

  @Test func linearEndpoints() throws {
    let schedule = try LRSchedule.linear(peakLR: 1e-3, warmupSteps: 4, totalSteps: 12)
    #expect(schedule.lr(step: 0) == 0)
    #expect(schedule.lr(step: 2) == 5e-4)
    #expect(schedule.lr(step: 4) == 1e-3)
    #expect(schedule.lr(step: 12) == 0)
    #expect(schedule.lr(step: 20) == 0)
  }

  @Test func cosineReachesMinimum() throws {
    let schedule = try LRSchedule.cosine(peakLR: 1.0, warmupSteps: 0, totalSteps: 10, minLRRatio: 0.1)
    #expect(schedule.lr(step: 0) == 1.0)
    #expect(Swift.abs(schedule.lr(step: 10) - 0.1) < 1e-15)
    #expect(Swift.abs(schedule.lr(step: 5) - 0.55) < 1e-15)
  }

  @Test func codableRoundTrip() throws {
    let schedules = [
      try LRSchedule.constant(peakLR: 3e-4, warmupSteps: 10),
      try LRSchedule.linear(peakLR: 1e-4, warmupSteps: 100, totalSteps: 1000),
      try LRSchedule.cosine(peakLR: 2e-4, warmupSteps: 5, totalSteps: 50, minLRRatio: 0.05, cycles: 0.5),
    ]
    for schedule in schedules {
      let data = try JSONEncoder().encode(schedule)
      #expect(try JSONDecoder().decode(LRSchedule.self, from: data) == schedule)
    }
  }

  @Test func invalidSettingsRejected() throws {
    #expect(throws: OptimizerError.self) { try LRSchedule.linear(peakLR: -1, warmupSteps: 0, totalSteps: 10) }
    #expect(throws: OptimizerError.self) { try LRSchedule.linear(peakLR: 1, warmupSteps: -1, totalSteps: 10) }
    #expect(throws: OptimizerError.self) {
      try LRSchedule.cosine(peakLR: 1, warmupSteps: 0, totalSteps: 10, minLRRatio: 1.5)
    }
    #expect(throws: OptimizerError.self) {
      try LRSchedule.cosine(peakLR: 1, warmupSteps: 0, totalSteps: 10, cycles: 0)
    }
    let invalid = Data(#"{"kind":"linear","peakLR":-0.1,"warmupSteps":0,"totalSteps":5}"#.utf8)
    #expect(throws: OptimizerError.self) { try JSONDecoder().decode(LRSchedule.self, from: invalid) }
    let unknownKind = Data(#"{"kind":"step","peakLR":0.1,"warmupSteps":0}"#.utf8)
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(LRSchedule.self, from: unknownKind) }
  }

  @Test func optimizerStepsWithSchedule() throws {
    let parameter = try Parameter(Tensor.ones([3]))
    let optimizer = try AdamW(groups: [try ParameterGroup(name: "g", parameters: [("w", parameter)])])
    let schedule = try LRSchedule.linear(peakLR: 0.1, warmupSteps: 2, totalSteps: 4)
    var used: [Double] = []
    for _ in 0..<4 {
      try parameter.value.setGrad(Tensor.ones([3]))
      used.append(try optimizer.step(schedule: schedule))
    }
    #expect(used == [0, 0.05, 0.1, 0.05])
    #expect(optimizer.stepCount == 4)
  }
}
