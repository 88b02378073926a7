import Testing

@testable import ShenzhouReporting

@Suite struct NumberTextTests {
  @Test func fixedDecimals() {
    #expect(NumberText.fixed(2.4531, decimals: 4) == "2.4531")
    #expect(NumberText.fixed(2.45316, decimals: 4) == "2.4532")
    #expect(NumberText.fixed(-0.00001, decimals: 3) == "0.000")
    #expect(NumberText.fixed(-1.5, decimals: 0) == "-2")
    #expect(NumberText.fixed(0.05, decimals: 2) == "0.05")
    #expect(NumberText.fixed(123, decimals: 0) == "123")
    #expect(NumberText.fixed(.nan, decimals: 2) == "nan")
    #expect(NumberText.fixed(-.infinity, decimals: 2) == "-inf")
    #expect(NumberText.fixed(1e20, decimals: 2) == "1.000e+20")
  }

  @Test func scientificNotation() {
    #expect(NumberText.scientific(0.0001, decimals: 2) == "1.00e-04")
    #expect(NumberText.scientific(123456, decimals: 2) == "1.23e+05")
    #expect(NumberText.scientific(9.999, decimals: 2) == "1.00e+01")
    #expect(NumberText.scientific(-2.5e-300, decimals: 1) == "-2.5e-300")
    #expect(NumberText.scientific(Double.leastNonzeroMagnitude, decimals: 0) == "5e-324")
    #expect(NumberText.scientific(1.7976931348623157e308, decimals: 3) == "1.798e+308")
    #expect(NumberText.scientific(0, decimals: 2) == "0.00e+00")
  }

  @Test func compactSuffixes() {
    #expect(NumberText.compact(950) == "950")
    #expect(NumberText.compact(12.345) == "12.3")
    #expect(NumberText.compact(1.5) == "1.50")
    #expect(NumberText.compact(12_345) == "12.3k")
    #expect(NumberText.compact(999_600) == "1.00M")
    #expect(NumberText.compact(4_560_000) == "4.56M")
    #expect(NumberText.compact(-2_000) == "-2.00k")
  }

  @Test func trimmedAndShortScientific() {
    #expect(NumberText.trimmed(0.5, maxDecimals: 4) == "0.5")
    #expect(NumberText.trimmed(2, maxDecimals: 4) == "2")
    #expect(NumberText.trimmed(-0.00001, maxDecimals: 2) == "0")
    #expect(NumberText.shortScientific(2.5e-5, decimals: 2) == "2.5e-5")
    #expect(NumberText.shortScientific(1e6, decimals: 2) == "1e6")
  }

  @Test func durations() {
    #expect(formatDuration(seconds: 0) == "0s")
    #expect(formatDuration(seconds: 42.4) == "42s")
    #expect(formatDuration(seconds: 725) == "12m05s")
    #expect(formatDuration(seconds: 3 * 3600 + 7 * 60 + 10) == "3h07m")
    #expect(formatDuration(seconds: 2 * 86_400 + 4 * 3600) == "2d04h")
    #expect(formatDuration(seconds: .nan) == "-")
    #expect(formatDuration(seconds: -1) == "-")
    #expect(formatDuration(seconds: .infinity) == ">9999d")
  }
}
