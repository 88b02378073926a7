/// A point of a chart in data or pixel coordinates.
struct ChartPoint: Equatable {
  var x: Double
  var y: Double
}

/// Turns raw series points into the polylines to draw.
enum SeriesGeometry {
  /// Returns the points sorted by x and split into runs at every point whose y is NaN or
  /// infinite, or not positive when `positiveOnly`. Points with a non-finite x are dropped.
  /// Unsorted input is sorted stably, so points with equal x keep their order.
  static func segments(of points: [(Double, Double)], positiveOnly: Bool) -> [[ChartPoint]] {
    let ordered = sortedByX(points)

    var segments: [[ChartPoint]] = []
    var current: [ChartPoint] = []
    for point in ordered {
      if point.y.isFinite && (!positiveOnly || point.y > 0) {
        current.append(point)
      } else if !current.isEmpty {
        segments.append(current)
        current = []
      }
    }
    if !current.isEmpty { segments.append(current) }
    return segments
  }

  /// Returns the exponential moving average of the finite y values, sorted by x, with the
  /// start-up bias removed: each output is the weighted mean of the values so far, with
  /// weight `smoothing^k` for the value k points back. Points with a NaN or infinite y are
  /// skipped, so the smoothed line bridges the gaps of the raw one.
  static func exponentialMovingAverage(of points: [(Double, Double)], smoothing: Double)
    -> [ChartPoint]
  {
    var average = 0.0
    var totalWeight = 0.0
    var smoothed: [ChartPoint] = []
    for point in sortedByX(points) where point.y.isFinite {
      average = smoothing * average + (1 - smoothing) * point.y
      totalWeight = smoothing * totalWeight + (1 - smoothing)
      smoothed.append(ChartPoint(x: point.x, y: average / totalWeight))
    }
    return smoothed
  }

  /// Reduces a polyline in pixel coordinates whose x values do not decrease to at most four
  /// points per pixel column: the first, lowest, highest and last of each column, in their
  /// original order. The drawn line looks the same, because every column keeps its full
  /// vertical extent. Lines with at most `4 * columnCount` points are returned unchanged.
  static func decimated(_ pixels: [ChartPoint], columnCount: Int) -> [ChartPoint] {
    guard pixels.count > 4 * Swift.max(columnCount, 1) else { return pixels }

    var output: [ChartPoint] = []
    output.reserveCapacity(4 * columnCount)
    var start = 0
    while start < pixels.count {
      let column = pixels[start].x.rounded(.down)
      var end = start + 1
      var lowest = start
      var highest = start
      while end < pixels.count && pixels[end].x.rounded(.down) == column {
        if pixels[end].y < pixels[lowest].y { lowest = end }
        if pixels[end].y > pixels[highest].y { highest = end }
        end += 1
      }
      var columnIndices = [start, lowest, highest, end - 1]
      columnIndices.sort()
      var previous = -1
      for index in columnIndices where index != previous {
        output.append(pixels[index])
        previous = index
      }
      start = end
    }
    return output
  }

  private static func sortedByX(_ points: [(Double, Double)]) -> [ChartPoint] {
    let finite = points.lazy.filter { $0.0.isFinite }.map { ChartPoint(x: $0.0, y: $0.1) }
    var ordered = Array(finite)
    let isSorted = zip(ordered, ordered.dropFirst()).allSatisfy { $0.x <= $1.x }
    if !isSorted {
      ordered = ordered.enumerated()
        .sorted { $0.element.x != $1.element.x ? $0.element.x < $1.element.x : $0.offset < $1.offset }
        .map(\.element)
    }
    return ordered
  }
}
