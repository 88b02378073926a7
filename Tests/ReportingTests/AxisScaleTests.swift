import Testing

@testable import ShenzhouReporting

@Suite struct AxisScaleTests {
  @Test func niceSteps() {
    #expect(AxisScale.niceStep(0.7) == 1)
    #expect(AxisScale.niceStep(1.3) == 2)
    #expect(AxisScale.niceStep(3) == 5)
    #expect(AxisScale.niceStep(7) == 10)
    #expect(AxisScale.niceStep(2000) == 2000)
    #expect(AxisScale.niceStep(0.0003) == 0.0005)
  }

  @Test func linearTicksCoverData() {
    let scale = AxisScale.linear(minimum: 1.83, maximum: 10.4, targetTickCount: 6)
    #expect(scale.lower == 0)
    #expect(scale.upper == 12)
    #expect(scale.ticks == [0, 2, 4, 6, 8, 10, 12])
    #expect(scale.tickLabels() == ["0", "2", "4", "6", "8", "10", "12"])
  }

  @Test func linearDecimalLabels() {
    let scale = AxisScale.linear(minimum: 0.12, maximum: 0.31, targetTickCount: 5)
    #expect(scale.tickLabels() == ["0.10", "0.15", "0.20", "0.25", "0.30", "0.35"])
  }

  @Test func flatDataIsWidened() {
    let scale = AxisScale.linear(minimum: 5, maximum: 5)
    #expect(scale.lower < 5)
    #expect(scale.upper > 5)
    #expect(scale.ticks.count >= 2)
    let zero = AxisScale.linear(minimum: 0, maximum: 0)
    #expect(zero.lower == -1)
    #expect(zero.upper == 1)
  }

  @Test func largeStepsUseSuffixes() {
    let scale = AxisScale.linear(minimum: 0, maximum: 1_000_000, targetTickCount: 6, minimumStep: 1)
    #expect(scale.tickLabels() == ["0", "200k", "400k", "600k", "800k", "1M"])
    let fine = AxisScale.linear(minimum: 1_000_000, maximum: 1_400_000, targetTickCount: 5)
    #expect(fine.tickLabels() == ["1M", "1.1M", "1.2M", "1.3M", "1.4M"])
  }

  @Test func tinyAndHugeValuesUseExponents() {
    let tiny = AxisScale.linear(minimum: 1e-6, maximum: 5e-6, targetTickCount: 5)
    #expect(tiny.tickLabels().allSatisfy { $0 == "0" || $0.contains("e-") })
    let huge = AxisScale.linear(minimum: -1e308, maximum: 1e308, targetTickCount: 5)
    #expect(huge.ticks.allSatisfy { $0.isFinite })
    #expect(huge.lower <= -1e308)
    #expect(huge.upper >= 1e308)
    #expect(huge.fraction(of: 0) == 0.5)
    #expect(huge.tickLabels().contains("0"))
  }

  @Test func logarithmicTicks() {
    let wide = AxisScale.logarithmic(minimum: 0.02, maximum: 300)
    #expect(wide.lower == 0.02)
    #expect(wide.upper == 500)
    #expect(wide.ticks == [0.1, 1, 10, 100])
    #expect(wide.tickLabels() == ["0.1", "1", "10", "100"])

    let narrow = AxisScale.logarithmic(minimum: 1.5, maximum: 7)
    #expect(narrow.lower == 1)
    #expect(narrow.upper == 10)
    #expect(narrow.ticks == [1, 2, 3, 5, 10])

    let huge = AxisScale.logarithmic(minimum: 1e-300, maximum: 1e300)
    #expect(huge.ticks.count <= 12)
    #expect(huge.ticks.count >= 5)
    #expect(huge.tickLabels().first == "1e-300")
    #expect(abs(huge.fraction(of: 1) - 0.5) < 1e-9)
  }

  @Test func logarithmicRejectsNonPositiveFraction() {
    let scale = AxisScale.logarithmic(minimum: 1, maximum: 100)
    #expect(scale.fraction(of: 0).isNaN)
    #expect(scale.fraction(of: 10) == 0.5)
  }
}
