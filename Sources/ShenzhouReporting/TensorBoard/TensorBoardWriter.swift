import Foundation

/// Writes scalar summaries to a TensorBoard event file, in the format that
/// `tensorboard --logdir DIRECTORY` reads.
///
/// Each writer creates a new file named
/// `events.out.tfevents.<unix seconds>.<host name>.<process id>.shenzhou` in its folder.
/// When that name is taken (two writers in one folder within a second), `.1`, `.2` and so on
/// are appended, which keeps the files in creation order when TensorBoard sorts them by name.
///
/// Records are buffered in memory and written when the buffer reaches `bufferLimit` bytes,
/// when `flushInterval` has passed since the last write, on `flush()` and on `close()`.
/// The file is appended to in place rather than written to a temporary file and renamed,
/// because TensorBoard reads it while it grows. Each write contains whole records, and
/// TensorBoard waits for the rest of a record it finds cut off at the end of the file.
///
/// All methods may be called from any thread.
public final class TensorBoardWriter: @unchecked Sendable {
  /// The event file this writer appends to.
  public let fileURL: URL
  /// The number of buffered bytes at which `addScalar` writes the buffer to the file.
  public let bufferLimit: Int
  /// The maximum time a record stays in the buffer, checked whenever a record is added.
  public let flushInterval: Duration

  // `lock` guards every property below it.
  private let lock = NSLock()
  private var file: OutputFile?
  private var buffer: [UInt8] = []
  private var lastWrite = ContinuousClock.now

  /// Creates the folder when it is missing, creates a new event file in it and writes the
  /// file-version record.
  ///
  /// - Throws: ``ReportingError`` of kind `fileSystem` when the folder or the file cannot be
  ///   created or written.
  public init(
    directory: URL, bufferLimit: Int = 64 * 1024, flushInterval: Duration = .seconds(10)
  ) throws {
    self.bufferLimit = bufferLimit
    self.flushInterval = flushInterval

    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    } catch {
      throw ReportingError(
        .fileSystem, path: directory.path,
        message: "cannot create the TensorBoard log folder: \(error.localizedDescription)")
    }

    let now = Date().timeIntervalSince1970
    let baseName =
      "events.out.tfevents.\(Int64(now.rounded(.down))).\(sanitizedHostName())"
      + ".\(currentProcessID()).shenzhou"
    var created: (URL, OutputFile)?
    for attempt in 0..<1000 where created == nil {
      let name = attempt == 0 ? baseName : "\(baseName).\(attempt)"
      let url = directory.appendingPathComponent(name)
      if let file = try OutputFile.createNew(path: url.path) { created = (url, file) }
    }
    guard let (url, file) = created else {
      throw ReportingError(
        .fileSystem, path: directory.appendingPathComponent(baseName).path,
        message: "1000 event files with this name already exist; remove old files or use a new folder")
    }
    fileURL = url
    self.file = file

    TFRecord.append(TensorBoardEvent.fileVersionRecord(wallTime: now), to: &buffer)
    try flush()
  }

  deinit {
    close()
  }

  // MARK: - Adding values

  /// Adds one scalar under `tag` for training step `step`.
  ///
  /// - Parameters:
  ///   - value: stored as a 32-bit float, the type of the `simple_value` field that
  ///     TensorBoard reads. NaN and infinities are stored as such.
  ///   - wallTime: seconds since 1970-01-01 UTC; the current time when nil.
  /// - Throws: ``ReportingError`` for an empty tag, a closed writer, or a failed write.
  public func addScalar(tag: String, value: Double, step: Int, wallTime: Double? = nil) throws {
    try addScalars([(tag, value)], step: step, wallTime: wallTime)
  }

  /// Adds several scalars of one step as a single event record, which is smaller than one
  /// record per value.
  public func addScalars(
    _ values: [(tag: String, value: Double)], step: Int, wallTime: Double? = nil
  ) throws {
    if let empty = values.firstIndex(where: { $0.tag.isEmpty }) {
      throw ReportingError(
        .invalidArgument, path: fileURL.path,
        message: "scalar \(empty + 1) of step \(step) has an empty tag; give every value a name")
    }
    if values.isEmpty { return }

    let record = TensorBoardEvent.scalarRecord(
      wallTime: wallTime ?? Date().timeIntervalSince1970, step: Int64(step),
      values: values.map { (tag: $0.tag, value: Float($0.value)) })

    lock.lock()
    defer { lock.unlock() }
    guard file != nil else {
      throw ReportingError(
        .closed, path: fileURL.path, message: "addScalar was called after close()")
    }
    TFRecord.append(record, to: &buffer)
    if buffer.count >= bufferLimit || ContinuousClock.now - lastWrite >= flushInterval {
      try writeBuffer()
    }
  }

  // MARK: - Flushing and closing

  /// Writes the buffered records to the file. It does not `fsync` the file. When the write
  /// fails, the buffered records are lost and the error is thrown.
  public func flush() throws {
    lock.lock()
    defer { lock.unlock() }
    try writeBuffer()
  }

  /// Writes the buffered records and closes the file. Later calls do nothing.
  ///
  /// NOTE: `close()` cannot throw, so a failure of its final write is lost. Call `flush()`
  /// first to see write errors.
  public func close() {
    lock.lock()
    defer { lock.unlock() }
    try? writeBuffer()
    file?.close()
    file = nil
  }

  /// Writes `buffer` to `file`. The caller must have locked `lock`. The buffer is emptied even when the
  /// write fails, because writing it again after a partial write would repeat the records
  /// that did reach the file and break the framing for every reader.
  private func writeBuffer() throws {
    guard let file, !buffer.isEmpty else { return }
    defer {
      buffer.removeAll(keepingCapacity: true)
      lastWrite = ContinuousClock.now
    }
    try file.write(buffer)
  }
}
