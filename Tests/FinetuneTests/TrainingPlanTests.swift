import ShenzhouFinetune
import Testing

@Suite struct TrainingPlanTests {
  @Test func epochsVisitEveryFeatureOnce() {
    let plan = TrainingPlan(
      featureCount: 23, batchSize: 4, gradientAccumulation: 2, epochs: 3, maxSteps: nil, warmupRatio: 0.1, seed: 7)
    #expect(plan.stepsPerEpoch == 3)
    #expect(plan.steps.count == 9)
    for epoch in 1...3 {
      let indices = plan.steps.filter { $0.epoch == epoch }.flatMap(\.microBatches).flatMap { $0 }
      #expect(indices.sorted() == Array(0..<23), "epoch \(epoch)")
    }
  }

  @Test func lastGroupOfEpochIsShorter() {
    let plan = TrainingPlan(
      featureCount: 10, batchSize: 2, gradientAccumulation: 2, epochs: 1, maxSteps: nil, warmupRatio: 0, seed: 1)
    #expect(plan.steps.map(\.microBatches.count) == [2, 2, 1])
    #expect(plan.steps.flatMap(\.microBatches).map(\.count) == [2, 2, 2, 2, 2])
  }

  @Test func lastMicroBatchMayBeSmaller() {
    let plan = TrainingPlan(
      featureCount: 7, batchSize: 3, gradientAccumulation: 1, epochs: 1, maxSteps: nil, warmupRatio: 0, seed: 1)
    #expect(plan.steps.flatMap(\.microBatches).map(\.count) == [3, 3, 1])
  }

  @Test func sameSeedGivesSameOrder() {
    let first = TrainingPlan(
      featureCount: 50, batchSize: 8, gradientAccumulation: 1, epochs: 2, maxSteps: nil, warmupRatio: 0.1, seed: 3)
    let second = TrainingPlan(
      featureCount: 50, batchSize: 8, gradientAccumulation: 1, epochs: 2, maxSteps: nil, warmupRatio: 0.1, seed: 3)
    let other = TrainingPlan(
      featureCount: 50, batchSize: 8, gradientAccumulation: 1, epochs: 2, maxSteps: nil, warmupRatio: 0.1, seed: 4)
    #expect(first == second)
    #expect(first.steps != other.steps)
  }

  @Test func epochsShuffleDifferently() {
    let first = EpochShuffle.order(count: 40, epoch: 1, seed: 9)
    let second = EpochShuffle.order(count: 40, epoch: 2, seed: 9)
    #expect(first != second)
    #expect(first.sorted() == Array(0..<40))
    #expect(first != Array(0..<40))
  }

  @Test func shuffleIsPinned() {
    // Pins the algorithm: a change would silently alter every run's batches.
    #expect(EpochShuffle.order(count: 8, epoch: 1, seed: 42) == [5, 6, 7, 2, 0, 3, 1, 4])
  }

  @Test func maxStepsCutsPlan() {
    let plan = TrainingPlan(
      featureCount: 100, batchSize: 10, gradientAccumulation: 1, epochs: 3, maxSteps: 25, warmupRatio: 0.1, seed: 1)
    #expect(plan.steps.count == 25)
    #expect(plan.steps.last?.epoch == 3)
    #expect(plan.warmupSteps == 3)
  }

  @Test func warmupRoundsUp() {
    let plan = TrainingPlan(
      featureCount: 21, batchSize: 1, gradientAccumulation: 1, epochs: 1, maxSteps: nil, warmupRatio: 0.1, seed: 1)
    #expect(plan.warmupSteps == 3)
  }

  @Test func emptySetHasNoSteps() {
    let plan = TrainingPlan(
      featureCount: 0, batchSize: 4, gradientAccumulation: 1, epochs: 2, maxSteps: nil, warmupRatio: 0.1, seed: 1)
    #expect(plan.steps.isEmpty)
    #expect(plan.warmupSteps == 0)
  }
}
