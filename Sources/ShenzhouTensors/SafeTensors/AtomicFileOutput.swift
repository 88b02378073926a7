#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes a file through a temporary file in the same folder that is renamed over the
/// target only after all bytes are written and synced, so readers never see a partial file.
struct AtomicFileOutput {
  let path: String
  private let temporaryPath: String
  private let descriptor: Int32

  private init(path: String, temporaryPath: String, descriptor: Int32) {
    self.path = path
    self.temporaryPath = temporaryPath
    self.descriptor = descriptor
  }

  /// Creates the temporary file, runs `body` to fill it, then renames it to `path`. On any
  /// error the temporary file is removed and `path` is left as it was.
  static func write(
    to path: String, _ body: (inout AtomicFileOutput) throws(SafeTensorsError) -> Void
  ) throws(SafeTensorsError) {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    var template = Array(joinPath(directoryName(of: path), ".\(name).tmp-XXXXXX").utf8CString)
    let descriptor = template.withUnsafeMutableBufferPointer { buffer in
      buffer.baseAddress.map { mkstemp($0) } ?? -1
    }
    guard descriptor >= 0 else {
      throw .writeFailed(file: path, reason: "cannot create a temporary file: \(systemErrorMessage(errno))")
    }
    let temporaryPath = template.withUnsafeBufferPointer { buffer in
      buffer.baseAddress.map { String(cString: $0) } ?? ""
    }
    var output = AtomicFileOutput(path: path, temporaryPath: temporaryPath, descriptor: descriptor)

    do throws(SafeTensorsError) {
      try body(&output)
    } catch {
      close(descriptor)
      unlink(temporaryPath)
      throw error
    }
    try output.finish()
  }

  mutating func append(_ bytes: [UInt8]) throws(SafeTensorsError) {
    try withBytes(of: bytes) { buffer throws(SafeTensorsError) in try append(buffer) }
  }

  mutating func append(_ bytes: UnsafeRawBufferPointer) throws(SafeTensorsError) {
    guard var next = bytes.baseAddress else { return }
    var remaining = bytes.count
    while remaining > 0 {
      let written = systemWrite(descriptor, next, remaining)
      if written < 0 {
        if errno == EINTR { continue }
        throw .writeFailed(file: path, reason: systemErrorMessage(errno))
      }
      next += written
      remaining -= written
    }
  }

  /// Syncs, closes and renames the temporary file, removing it on failure.
  private func finish() throws(SafeTensorsError) {
    var failure: String?
    if fsync(descriptor) != 0 {
      failure = "fsync failed: \(systemErrorMessage(errno))"
    }
    fchmod(descriptor, 0o644)
    if close(descriptor) != 0, failure == nil {
      failure = "close failed: \(systemErrorMessage(errno))"
    }
    if failure == nil, rename(temporaryPath, path) != 0 {
      failure = "rename failed: \(systemErrorMessage(errno))"
    }
    if let failure {
      unlink(temporaryPath)
      throw .writeFailed(file: path, reason: failure)
    }
  }
}

/// Calls `body` with the bytes of `array`, keeping the typed error that
/// `Array.withUnsafeBytes` (which only rethrows untyped errors) would lose.
func withBytes<Result>(
  of array: [UInt8], _ body: (UnsafeRawBufferPointer) throws(SafeTensorsError) -> Result
) throws(SafeTensorsError) -> Result {
  let outcome = array.withUnsafeBytes { buffer in
    Swift.Result { () throws(SafeTensorsError) -> Result in try body(buffer) }
  }
  return try outcome.get()
}

/// Calls POSIX `write(2)`. The wrapper keeps the name apart from ``AtomicFileOutput/write(to:_:)``.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
  write(descriptor, bytes, count)
}
