#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file opened for appending through a POSIX descriptor. Each `write` hands all its bytes to
/// the operating system before it returns, retrying partial writes and `EINTR`. It does not
/// call `fsync`, so a machine crash can still lose the last writes.
final class OutputFile {
  let path: String
  private var descriptor: Int32

  enum CreationMode {
    /// Create the file; fail with `EEXIST` when it is already there.
    case createNew
    /// Create the file when it is missing, otherwise keep its content and append to it.
    case append
  }

  init(path: String, mode: CreationMode) throws {
    let descriptor = OutputFile.openDescriptor(path: path, mode: mode)
    guard descriptor >= 0 else {
      throw OutputFile.error(errno, path: path, action: "open the file for writing")
    }
    self.path = path
    self.descriptor = descriptor
  }

  private init(path: String, descriptor: Int32) {
    self.path = path
    self.descriptor = descriptor
  }

  /// Creates the file at `path`, or returns nil when a file of that name already exists.
  static func createNew(path: String) throws -> OutputFile? {
    let descriptor = openDescriptor(path: path, mode: .createNew)
    if descriptor >= 0 { return OutputFile(path: path, descriptor: descriptor) }
    if errno == EEXIST { return nil }
    throw OutputFile.error(errno, path: path, action: "create the file")
  }

  private static func openDescriptor(path: String, mode: CreationMode) -> Int32 {
    var flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC
    if mode == .createNew { flags |= O_EXCL }
    return open(path, flags, 0o644)
  }

  deinit {
    if descriptor >= 0 { _ = systemClose(descriptor) }
  }

  var isOpen: Bool { descriptor >= 0 }

  func write(_ bytes: [UInt8]) throws {
    guard descriptor >= 0 else {
      throw ReportingError(.closed, path: path, message: "the file is already closed")
    }
    try bytes.withUnsafeBytes { buffer in
      guard let base = buffer.baseAddress else { return }
      var offset = 0
      while offset < buffer.count {
        let written = systemWrite(descriptor, base + offset, buffer.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          throw OutputFile.error(errno, path: path, action: "write")
        }
        offset += written
      }
    }
  }

  /// Shortens the file to `length` bytes. Truncation is one system call, so a crash leaves
  /// either the old or the new length and never a mix of the two.
  func truncate(to length: Int) throws {
    guard ftruncate(descriptor, off_t(length)) == 0 else {
      throw OutputFile.error(errno, path: path, action: "truncate")
    }
  }

  func close() {
    guard descriptor >= 0 else { return }
    _ = systemClose(descriptor)
    descriptor = -1
  }

  static func error(_ code: Int32, path: String, action: String) -> ReportingError {
    let reason = String(cString: strerror(code))
    return ReportingError(
      .fileSystem, path: path,
      message: "cannot \(action): \(reason); check that the folder exists and is writable")
  }
}

// The bare names `write` and `close` resolve to the methods inside `OutputFile`.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
  write(descriptor, buffer, count)
}

private func systemClose(_ descriptor: Int32) -> Int32 {
  close(descriptor)
}
