/// Size, smoothing and axis settings of a loss-curve chart.
public struct LossCurveOptions: Sendable, Equatable {
  /// The image width in pixels; values below 240 are raised to 240.
  public var width: Int
  /// The image height in pixels; values below 160 are raised to 160.
  public var height: Int
  /// The weight of the previous smoothed value in an exponential moving average, from 0 to
  /// 0.999 (values outside are clamped). When it is above 0, each series is drawn faintly
  /// as recorded with its smoothed line on top. `nil` or 0 turns smoothing off.
  public var smoothing: Double?
  /// Whether the y axis is logarithmic. Values at or below 0 are then left out.
  public var logScaleY: Bool
  /// The x axis title; empty for none.
  public var xLabel: String
  /// The y axis title; empty for none.
  public var yLabel: String

  public init(
    width: Int = 800, height: Int = 480, smoothing: Double? = nil, logScaleY: Bool = false,
    xLabel: String = "step", yLabel: String = "loss"
  ) {
    self.width = width
    self.height = height
    self.smoothing = smoothing
    self.logScaleY = logScaleY
    self.xLabel = xLabel
    self.yLabel = yLabel
  }
}
