import Foundation
import Testing

@testable import ShenzhouReporting

@Suite struct LossCurveChartTests {
  private func steps(_ count: Int, _ loss: (Int) -> Double) -> [(Double, Double)] {
    (0..<count).map { (Double($0 * 10), loss($0)) }
  }

  @Test func twoSeriesRenderValidSVG() throws {
    let svg = renderLossCurves(
      series: [
        ("mlm", steps(200) { 8 * exp(-Double($0) / 40) + 1.5 }),
        ("sop <&>\"'", steps(200) { 0.7 * exp(-Double($0) / 80) + 0.1 }),
      ],
      title: "Pretraining loss & \"friends\"")
    let document = try SVGDocument(svg)

    #expect(document.elements.first?.name == "svg")
    #expect(document.all("title").first?.text == "Pretraining loss & \"friends\"")
    #expect(document.all("g").compactMap { $0.attributes["data-series"] } == ["mlm", "sop <&>\"'"])
    #expect(document.texts(inGroup: "legend") == ["mlm", "sop <&>\"'"])
    #expect(document.all("path").count == 2)
    #expect(document.texts(inGroup: "x-ticks").contains("1000"))
    #expect(!document.texts(inGroup: "y-ticks").isEmpty)
    #expect(!svg.contains("nan"))
    #expect(!svg.contains("inf"))
  }

  @Test func plottedPointsStayInsideImage() throws {
    let svg = renderLossCurves(
      series: [("loss", steps(500) { 10 / Double($0 + 1) })], title: "t",
      options: LossCurveOptions(width: 640, height: 400))
    let numbers = try SVGDocument(svg).plottedNumbers
    #expect(numbers.count == 1000)
    #expect(numbers.allSatisfy { $0 >= 0 })
    #expect(numbers.allSatisfy { $0 <= 640 })
  }

  @Test func emptyInputRendersPlaceholder() throws {
    let document = try SVGDocument(renderLossCurves(series: [], title: ""))
    #expect(document.all("text").contains { $0.text == "no data" })
    #expect(document.all("path").isEmpty)
    #expect(document.texts(inGroup: "legend").isEmpty)
    #expect(document.all("title").isEmpty)
  }

  @Test func seriesWithoutDataIsMarkedInLegend() throws {
    let svg = renderLossCurves(
      series: [("empty", []), ("all nan", [(1, .nan), (2, .infinity)]), ("ok", [(1, 2), (2, 1)])],
      title: "partial")
    let document = try SVGDocument(svg)
    #expect(document.texts(inGroup: "legend") == ["empty (no data)", "all nan (no data)", "ok"])
    #expect(document.all("g").compactMap { $0.attributes["data-series"] } == ["ok"])
  }

  @Test func singlePointIsADot() throws {
    let document = try SVGDocument(renderLossCurves(series: [("one", [(100, 2.5)])], title: "single"))
    #expect(document.all("circle").count == 1)
    #expect(document.all("path").isEmpty)
    #expect(!document.all("text").contains { $0.text == "no data" })
  }

  @Test func nanSplitsTheLine() throws {
    let points: [(Double, Double)] = [(0, 3), (1, 2.5), (2, .nan), (3, 2), (4, 1.8), (5, .nan), (6, 1.5)]
    let document = try SVGDocument(renderLossCurves(series: [("loss", points)], title: ""))
    let path = try #require(document.all("path").first?.attributes["d"])
    #expect(path.split(separator: " ").filter { $0 == "M" }.count == 2)
    #expect(document.all("circle").count == 1)
  }

  @Test func unsortedPointsAreSorted() throws {
    let document = try SVGDocument(
      renderLossCurves(series: [("loss", [(3, 1), (1, 3), (2, 2)])], title: ""))
    let numbers = document.plottedNumbers
    let xs = stride(from: 0, to: numbers.count, by: 2).map { numbers[$0] }
    #expect(xs == xs.sorted())
  }

  @Test func hugeRangesStayFinite() throws {
    let wide: [(Double, Double)] = [(0, 1e-300), (1, 1e300), (2, -1e308), (3, 1e308)]
    for logScale in [false, true] {
      let svg = renderLossCurves(
        series: [("wide", wide)], title: "", options: LossCurveOptions(logScaleY: logScale))
      let document = try SVGDocument(svg)
      #expect(!document.plottedNumbers.isEmpty)
      #expect(document.plottedNumbers.allSatisfy { abs($0) <= 1e4 })
      #expect(!svg.contains("nan"))
      #expect(!svg.contains("inf"))
    }
  }

  @Test func logScaleSkipsNonPositiveValues() throws {
    let svg = renderLossCurves(
      series: [("loss", [(0, 10), (1, 0), (2, -1), (3, 0.1), (4, 0.01)])], title: "",
      options: LossCurveOptions(logScaleY: true))
    let document = try SVGDocument(svg)
    #expect(document.all("circle").count == 1)
    #expect(document.all("path").count == 1)
    #expect(document.texts(inGroup: "y-ticks") == ["0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1", "2", "5", "10"])
    #expect(document.all("text").contains { $0.text == "loss (log scale)" })
  }

  @Test func smoothingAddsAFaintRawLine() throws {
    let noisy = steps(300) { 3 + sin(Double($0)) * 0.5 - Double($0) / 200 }
    let svg = renderLossCurves(
      series: [("noisy", noisy)], title: "", options: LossCurveOptions(smoothing: 0.9))
    let paths = try SVGDocument(svg).all("path")
    #expect(paths.count == 2)
    #expect(paths[0].attributes["stroke-opacity"] == "0.3")
    #expect(paths[1].attributes["stroke-opacity"] == nil)
  }

  @Test func emaRemovesStartupBias() {
    let smoothed = SeriesGeometry.exponentialMovingAverage(
      of: [(0, 4), (1, .nan), (2, 4), (3, 8)], smoothing: 0.5)
    #expect(smoothed.map(\.x) == [0, 2, 3])
    #expect(smoothed[0].y == 4)
    #expect(smoothed[1].y == 4)
    #expect(abs(smoothed[2].y - (0.5 * 8 + 0.25 * 4 + 0.125 * 4) / 0.875) < 1e-12)
  }

  @Test func longSeriesAreDecimated() throws {
    let count = 200_000
    let points = (0..<count).map { index -> (Double, Double) in
      let x = Double(index)
      let wiggle = Double(index % 7) * 0.01
      return (x, 2 + sin(x / 1000) + wiggle)
    }
    let svg = renderLossCurves(series: [("long", points)], title: "long run")
    let document = try SVGDocument(svg)
    let pairs = document.plottedNumbers.count / 2
    #expect(pairs <= 4 * 800)
    #expect(pairs > 100)
    #expect(svg.utf8.count < 150_000)
  }

  @Test func decimationKeepsColumnExtremes() {
    let pixels = (0..<100).map { ChartPoint(x: Double($0) / 50, y: Double(($0 * 37) % 11)) }
    let reduced = SeriesGeometry.decimated(pixels, columnCount: 2)
    #expect(reduced.count <= 8)
    #expect(reduced.first == pixels.first)
    #expect(reduced.last == pixels.last)
    #expect(reduced.map(\.y).min() == 0)
    #expect(reduced.map(\.y).max() == 10)
  }

  @Test func controlCharactersAreDropped() throws {
    let svg = renderLossCurves(series: [("a\u{01}b\nc", [(0, 1), (1, 2)])], title: "x\u{0B}y")
    let document = try SVGDocument(svg)
    #expect(document.texts(inGroup: "legend") == ["ab c"])
    #expect(document.all("title").first?.text == "xy")
  }

  @Test func writerReplacesFileAtomically() throws {
    let folder = try temporaryFolder("chart")
    let url = folder.appendingPathComponent("loss.svg")
    try Data("old".utf8).write(to: url)
    try writeLossCurves(series: [("loss", [(0, 2), (1, 1)])], title: "written", to: url)
    _ = try SVGDocument(try readText(url))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["loss.svg"])

    let error = #expect(throws: ReportingError.self) {
      try writeLossCurves(series: [], title: "", to: folder.appendingPathComponent("missing/loss.svg"))
    }
    #expect(error?.kind == .fileSystem)
  }
}
