/// The values of one training step for the console step log. Nil values print as `-`.
public struct StepLogEntry: Sendable {
  public var step: Int
  /// Loss per objective, such as `("mlm", 2.41)`; matched to the formatter's objectives by
  /// name.
  public var losses: [(name: String, value: Double)]
  public var learningRate: Double?
  /// The global L2 norm of the gradients before clipping.
  public var gradientNorm: Double?
  public var tokensPerSecond: Double?
  public var millisecondsPerStep: Double?
  /// The estimated time left, in seconds.
  public var secondsRemaining: Double?

  public init(
    step: Int, losses: [(name: String, value: Double)], learningRate: Double? = nil,
    gradientNorm: Double? = nil, tokensPerSecond: Double? = nil,
    millisecondsPerStep: Double? = nil, secondsRemaining: Double? = nil
  ) {
    self.step = step
    self.losses = losses
    self.learningRate = learningRate
    self.gradientNorm = gradientNorm
    self.tokensPerSecond = tokensPerSecond
    self.millisecondsPerStep = millisecondsPerStep
    self.secondsRemaining = secondsRemaining
  }
}

/// Formats one-line step logs whose columns keep their widths from line to line:
///
///     step  1200/100000  mlm   2.4531  sop   0.6931  lr 1.00e-04  gnorm    1.234  12.3k tok/s  245.1 ms/step  eta 6h44m
///
/// Values too wide for their column switch to fewer decimals and then to exponent notation
/// (`1.23e+05`), so a diverging loss does not shift the columns after it.
public struct StepLogFormatter: Sendable {
  /// The optional columns after the losses.
  public struct Columns: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let learningRate = Columns(rawValue: 1 << 0)
    public static let gradientNorm = Columns(rawValue: 1 << 1)
    public static let tokensPerSecond = Columns(rawValue: 1 << 2)
    public static let millisecondsPerStep = Columns(rawValue: 1 << 3)
    public static let timeRemaining = Columns(rawValue: 1 << 4)
    public static let all: Columns = [
      .learningRate, .gradientNorm, .tokensPerSecond, .millisecondsPerStep, .timeRemaining,
    ]
  }

  /// The total step count shown after each step, or nil to show the step alone.
  public let totalSteps: Int?
  /// The loss columns, in order.
  public let objectives: [String]
  public let columns: Columns

  private let stepWidth: Int
  private let objectiveWidth: Int

  public init(totalSteps: Int?, objectives: [String], columns: Columns = .all) {
    self.totalSteps = totalSteps
    self.objectives = objectives
    self.columns = columns
    stepWidth = max(String(totalSteps ?? 0).count, 6)
    objectiveWidth = objectives.map(\.count).max() ?? 0
  }

  /// Returns the log line for `entry`, without a line break. Losses whose names are not in
  /// `objectives` are left out.
  public func format(_ entry: StepLogEntry) -> String {
    var fields: [String] = []
    var stepText = "step " + NumberText.padLeft(String(entry.step), to: stepWidth)
    if let totalSteps { stepText += "/\(totalSteps)" }
    fields.append(stepText)

    for objective in objectives {
      let loss = entry.losses.first { $0.name == objective }?.value
      let name = NumberText.padRight(objective, to: objectiveWidth)
      fields.append(name + " " + Self.fitted(loss, width: 9, maximumDecimals: 4))
    }

    if columns.contains(.learningRate) {
      let text = entry.learningRate.map { NumberText.scientific($0, decimals: 2) } ?? "-"
      fields.append("lr " + NumberText.padLeft(text, to: 8))
    }
    if columns.contains(.gradientNorm) {
      fields.append("gnorm " + Self.fitted(entry.gradientNorm, width: 8, maximumDecimals: 3))
    }
    if columns.contains(.tokensPerSecond) {
      let text = entry.tokensPerSecond.map(NumberText.compact) ?? "-"
      fields.append(NumberText.padLeft(text, to: 6) + " tok/s")
    }
    if columns.contains(.millisecondsPerStep) {
      fields.append(Self.fitted(entry.millisecondsPerStep, width: 7, maximumDecimals: 1) + " ms/step")
    }
    if columns.contains(.timeRemaining) {
      let text = entry.secondsRemaining.map { formatDuration(seconds: $0) } ?? "-"
      fields.append("eta " + NumberText.padLeft(text, to: 6))
    }
    return fields.joined(separator: "  ")
  }

  /// Returns `value` right-aligned in `width` characters with the most decimals, up to
  /// `maximumDecimals`, that fit. It uses exponent notation when no fixed form fits or when
  /// the fixed form would round a nonzero value to zero.
  static func fitted(_ value: Double?, width: Int, maximumDecimals: Int) -> String {
    guard let value else { return NumberText.padLeft("-", to: width) }
    guard value.isFinite else { return NumberText.padLeft(NumberText.fixed(value, decimals: 0), to: width) }

    let smallestShown = 0.5 / NumberText.exp10(maximumDecimals)
    for decimals in stride(from: maximumDecimals, through: 0, by: -1)
    where value == 0 || Swift.abs(value) >= smallestShown {
      let text = NumberText.fixed(value, decimals: decimals)
      if text.count <= width && !text.contains("e") { return NumberText.padLeft(text, to: width) }
    }
    for decimals in stride(from: 2, through: 0, by: -1) {
      let text = NumberText.scientific(value, decimals: decimals)
      if text.count <= width { return NumberText.padLeft(text, to: width) }
    }
    return NumberText.scientific(value, decimals: 0)
  }
}
