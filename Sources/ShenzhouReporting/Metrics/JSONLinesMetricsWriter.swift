import Foundation

/// Appends training metrics to a JSON Lines file, one object per step:
///
///     {"step":120,"wall_time":1718000000.25,"loss/mlm":2.5,"lr":0.0001}
///
/// Every line is written to the file before `append` returns, so a crash loses at most the
/// line being written. The file is opened in append mode, so a restarted run adds to the
/// existing log. Open it with `resumingAfterStep` to first remove the lines that the
/// resumed run will write again.
///
/// NaN and infinite metric values are written as `null`, because JSON has no literal for
/// them; ``nonFiniteValueCount`` counts them.
///
/// All methods may be called from any thread.
public final class JSONLinesMetricsWriter: @unchecked Sendable {
  /// The log file.
  public let fileURL: URL
  /// The number of complete lines that opening the file removed because their step was after
  /// the resume step.
  public let removedLineCount: Int
  /// Whether opening the file removed a last line without its newline, which an interrupted
  /// write leaves behind.
  public let removedIncompleteLine: Bool

  // `lock` guards every property below it.
  private let lock = NSLock()
  private var file: OutputFile?
  private var nonFiniteCount = 0

  /// Opens `fileURL` for appending and creates it, and its folder, when missing.
  ///
  /// - Parameter resumingAfterStep: when given, removes the first line whose step is greater
  ///   than this step and every line after it. Pass the step of the checkpoint that the run
  ///   resumes from.
  /// - Throws: ``ReportingError`` of kind `fileSystem` when the file cannot be read or
  ///   written, and of kind `malformedLog` when a line that must be read to find the cut has
  ///   no integer `step` field.
  public init(fileURL: URL, resumingAfterStep resumeStep: Int? = nil) throws {
    self.fileURL = fileURL
    let path = fileURL.path

    do {
      try FileManager.default.createDirectory(
        at: fileURL.deletingLastPathComponent(), withIntermediateDirectories: true)
    } catch {
      throw ReportingError(
        .fileSystem, path: fileURL.deletingLastPathComponent().path,
        message: "cannot create the metrics log folder: \(error.localizedDescription)")
    }

    let file = try OutputFile(path: path, mode: .append)
    let existing: Data
    do {
      existing = try Data(contentsOf: fileURL, options: .mappedIfSafe)
    } catch {
      throw ReportingError(
        .fileSystem, path: path,
        message: "cannot read the existing metrics log: \(error.localizedDescription)")
    }

    let scan = try existing.withUnsafeBytes {
      try MetricsLogScan.scan($0, resumeStep: resumeStep, path: path)
    }
    if scan.keptLength < existing.count { try file.truncate(to: scan.keptLength) }

    self.file = file
    removedLineCount = scan.removedLineCount
    removedIncompleteLine = scan.removedIncompleteLine
  }

  deinit {
    close()
  }

  // MARK: - Writing

  /// The number of NaN or infinite metric values written as `null` since the file was opened.
  public var nonFiniteValueCount: Int {
    lock.lock()
    defer { lock.unlock() }
    return nonFiniteCount
  }

  /// Writes one line with `step`, the wall time and `metrics` in the given order.
  ///
  /// - Parameter wallTime: seconds since 1970-01-01 UTC; the current time when nil.
  /// - Throws: ``ReportingError`` of kind `invalidArgument` for an empty, repeated or reserved
  ///   (`step`, `wall_time`) metric name, `closed` after `close()`, and `fileSystem` when the
  ///   write fails.
  public func append(
    step: Int, wallTime: Double? = nil, metrics: [(name: String, value: Double)]
  ) throws {
    let line = try MetricsLine.encode(
      step: step, wallTime: wallTime ?? Date().timeIntervalSince1970, metrics: metrics,
      path: fileURL.path)

    lock.lock()
    defer { lock.unlock() }
    guard let file else {
      throw ReportingError(.closed, path: fileURL.path, message: "append was called after close()")
    }
    try file.write(line.bytes)
    nonFiniteCount += line.nullCount
  }

  /// Writes one line with `step`, the wall time and `metrics` in literal order:
  /// `try log.append(step: 10, metrics: ["loss": 2.3, "lr": 1e-4])`.
  public func append(
    step: Int, wallTime: Double? = nil, metrics: KeyValuePairs<String, Double>
  ) throws {
    try append(step: step, wallTime: wallTime, metrics: metrics.map { (name: $0.key, value: $0.value) })
  }

  /// Closes the file. Later calls do nothing, and later appends throw.
  public func close() {
    lock.lock()
    defer { lock.unlock() }
    file?.close()
    file = nil
  }
}
