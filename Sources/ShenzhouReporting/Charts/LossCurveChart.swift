import Foundation

/// Renders one or more loss curves as a standalone SVG line chart with a title, axes with
/// tick labels and grid lines, and a legend.
///
/// Points need not be sorted by x. Points whose y is NaN or infinite are skipped and leave a
/// gap in the line. A point with no finite neighbor is drawn as a dot. A series without any
/// drawable point still gets a legend entry marked "(no data)". Very long series are
/// reduced to a few points per pixel column, which keeps the file small without changing
/// how the line looks.
///
/// - Parameters:
///   - series: each series' name and `(x, y)` points, usually `(step, loss)`.
///   - title: the chart title; empty for none.
/// - Returns: an SVG 1.1 document in UTF-8 XML.
public func renderLossCurves(
  series: [(name: String, points: [(Double, Double)])], title: String,
  options: LossCurveOptions = LossCurveOptions()
) -> String {
  LossCurveChart(series: series, title: title, options: options).render()
}

/// Renders the chart of ``renderLossCurves(series:title:options:)`` and writes it to `url`
/// through a temporary file that is renamed into place, so readers never see a partial file.
///
/// - Throws: ``ReportingError`` of kind `fileSystem` when the file cannot be written.
public func writeLossCurves(
  series: [(name: String, points: [(Double, Double)])], title: String,
  options: LossCurveOptions = LossCurveOptions(), to url: URL
) throws {
  let svg = renderLossCurves(series: series, title: title, options: options)
  do {
    try Data(svg.utf8).write(to: url, options: .atomic)
  } catch {
    throw ReportingError(
      .fileSystem, path: url.path,
      message: "cannot write the chart: \(error.localizedDescription); check that the folder exists and is writable")
  }
}

/// The state of one chart render: the prepared series and the page geometry.
struct LossCurveChart {
  struct Layer {
    var name: String
    var color: String
    var segments: [[ChartPoint]]
    var smoothed: [ChartPoint]?

    var hasData: Bool { !segments.isEmpty }
  }

  /// Line colors, reused in order when there are more series than colors.
  static let palette = [
    "#2f6fdf", "#e0473c", "#2e9e4f", "#e69a1c", "#8a4fd6",
    "#1aa0b8", "#d6458f", "#5b6472", "#86a61e", "#9a5b2a",
  ]

  /// Latin fonts first, then common Chinese fonts for CJK series names, as CSS font-family.
  static let fontFamily =
    "Helvetica, Arial, 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"
  static let fontSize = 12.0
  static let titleFontSize = 16.0

  let title: String
  let options: LossCurveOptions
  let layers: [Layer]
  let width: Double
  let height: Double

  init(series: [(name: String, points: [(Double, Double)])], title: String, options: LossCurveOptions) {
    self.title = title
    self.options = options
    width = Double(max(options.width, 240))
    height = Double(max(options.height, 160))

    let smoothing = min(max(options.smoothing ?? 0, 0), 0.999)
    let positiveOnly = options.logScaleY
    layers = series.enumerated().map { index, entry in
      var smoothed: [ChartPoint]?
      if smoothing > 0 {
        smoothed = SeriesGeometry.exponentialMovingAverage(of: entry.points, smoothing: smoothing)
          .filter { !positiveOnly || $0.y > 0 }
      }
      return Layer(
        name: entry.name, color: Self.palette[index % Self.palette.count],
        segments: SeriesGeometry.segments(of: entry.points, positiveOnly: positiveOnly),
        smoothed: smoothed)
    }
  }

  // MARK: - Scales

  /// Every drawable point, smoothed ones included, which set the axis ranges.
  private var allPoints: [ChartPoint] {
    layers.flatMap { Array($0.segments.joined()) + ($0.smoothed ?? []) }
  }

  func yScale(targetTickCount: Int) -> AxisScale {
    let ys = allPoints.map(\.y)
    guard let low = ys.min(), let high = ys.max() else {
      return options.logScaleY
        ? .logarithmic(minimum: 1, maximum: 10)
        : .linear(minimum: 0, maximum: 1, targetTickCount: targetTickCount)
    }
    return options.logScaleY
      ? .logarithmic(minimum: low, maximum: high)
      : .linear(minimum: low, maximum: high, targetTickCount: targetTickCount)
  }

  func xScale(targetTickCount: Int) -> AxisScale {
    let xs = allPoints.map(\.x)
    guard let low = xs.min(), let high = xs.max() else {
      return .linear(minimum: 0, maximum: 1, targetTickCount: targetTickCount)
    }
    let integral = xs.allSatisfy { $0.rounded() == $0 }
    return .linear(
      minimum: low, maximum: high, targetTickCount: targetTickCount,
      minimumStep: integral ? 1 : 0)
  }
}
