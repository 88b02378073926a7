import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// MARK: - Byte sources

/// Sequential reader of one corpus file's decompressed bytes.
protocol CorpusByteSource: AnyObject {
  /// Fills up to `buffer.count` bytes and returns how many were read; 0 means the end of the file.
  func read(into buffer: UnsafeMutableRawBufferPointer) throws(PreparationError) -> Int
  /// Bytes of the file on disk consumed so far: compressed bytes for gzip input. Drives progress.
  var fileBytesConsumed: Int64 { get }
  /// Whether offsets in the byte stream refer to decompressed data.
  var isDecompressed: Bool { get }
  /// Releases the file and, for gzip input, waits for the decompressor and checks its exit status.
  func close() throws(PreparationError)
}

enum CorpusByteSources {
  static let gzipMagic: [UInt8] = [0x1f, 0x8b]

  /// Opens `path`, choosing gzip decompression when the file starts with the gzip magic bytes.
  static func open(path: String) throws(PreparationError) -> any CorpusByteSource {
    let (descriptor, isGzip) = try openAndProbe(path: path)
    if isGzip {
      return try GzipByteSource(path: path, fileDescriptor: descriptor)
    }
    return FileByteSource(path: path, fileDescriptor: descriptor)
  }

  /// Checks that `path` is a readable file and returns its size and whether it is gzip-compressed.
  static func inspect(path: String) throws(PreparationError) -> (bytes: Int64, isGzip: Bool) {
    let (descriptor, isGzip) = try openAndProbe(path: path)
    defer { systemClose(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else {
      throw .inputUnreadable(path: path, reason: POSIXErrorText.describe(systemErrorNumber()))
    }
    return (Int64(status.st_size), isGzip)
  }

  private static func openAndProbe(path: String) throws(PreparationError) -> (Int32, Bool) {
    let descriptor = systemOpen(path, flags: O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      let code = systemErrorNumber()
      if code == ENOENT { throw .inputNotFound(path: path) }
      throw .inputUnreadable(path: path, reason: POSIXErrorText.describe(code))
    }
    var status = stat()
    if fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
      systemClose(descriptor)
      throw .inputUnreadable(path: path, reason: "it is a directory, not a text file")
    }
    var magic: [UInt8] = [0, 0]
    let magicCount = magic.withUnsafeMutableBytes { systemPositionedRead(descriptor, $0.baseAddress, 2, 0) }
    guard magicCount >= 0 else {
      let code = systemErrorNumber()
      systemClose(descriptor)
      throw .inputUnreadable(path: path, reason: POSIXErrorText.describe(code))
    }
    return (descriptor, magicCount == 2 && magic == gzipMagic)
  }
}

// MARK: - Plain files

/// Reads a plain file with POSIX `read`.
final class FileByteSource: CorpusByteSource {
  private let path: String
  private var descriptor: Int32
  private(set) var fileBytesConsumed: Int64 = 0
  var isDecompressed: Bool { false }

  init(path: String, fileDescriptor: Int32) {
    self.path = path
    descriptor = fileDescriptor
  }

  deinit {
    if descriptor >= 0 { _ = systemClose(descriptor) }
  }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws(PreparationError) -> Int {
    while true {
      let count = systemRead(descriptor, buffer.baseAddress, buffer.count)
      if count >= 0 {
        fileBytesConsumed += Int64(count)
        return count
      }
      let code = systemErrorNumber()
      if code == EINTR { continue }
      throw .inputUnreadable(path: path, reason: POSIXErrorText.describe(code))
    }
  }

  func close() throws(PreparationError) {
    if descriptor >= 0 {
      _ = systemClose(descriptor)
      descriptor = -1
    }
  }
}

// MARK: - Gzip files

/// Decompresses a gzip file by streaming it through a `gzip -dc` subprocess.
///
/// Swift on Linux ships no importable zlib module, and the package takes no outside dependencies, so
/// the system `gzip` does the inflating. It runs on another core, which suits a pipeline whose reader
/// thread is otherwise idle. The child reads the file through an inherited descriptor that shares its
/// file offset with this process, so `lseek` on it returns how many compressed bytes were consumed.
final class GzipByteSource: CorpusByteSource {
  private let path: String
  private var fileDescriptor: Int32
  private let process: Process
  private let outputPipe: Pipe
  private let errorPipe: Pipe
  private var finished = false
  var isDecompressed: Bool { true }

  init(path: String, fileDescriptor: Int32) throws(PreparationError) {
    self.path = path
    self.fileDescriptor = fileDescriptor
    guard let gzip = GzipByteSource.findExecutable("gzip") else {
      _ = systemClose(fileDescriptor)
      throw .gzipUnavailable(path: path)
    }
    process = Process()
    outputPipe = Pipe()
    errorPipe = Pipe()
    process.executableURL = URL(fileURLWithPath: gzip)
    process.arguments = ["-dc"]
    process.standardInput = FileHandle(fileDescriptor: fileDescriptor, closeOnDealloc: false)
    process.standardOutput = outputPipe
    process.standardError = errorPipe
    do {
      try process.run()
    } catch {
      _ = systemClose(fileDescriptor)
      throw .gzipFailed(path: path, reason: "could not start \(gzip): \(error)")
    }
  }

  deinit {
    if !finished, process.isRunning {
      process.terminate()
      process.waitUntilExit()
    }
    if fileDescriptor >= 0 { _ = systemClose(fileDescriptor) }
  }

  var fileBytesConsumed: Int64 {
    guard fileDescriptor >= 0 else { return 0 }
    let position = lseek(fileDescriptor, 0, SEEK_CUR)
    return position < 0 ? 0 : Int64(position)
  }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws(PreparationError) -> Int {
    let descriptor = outputPipe.fileHandleForReading.fileDescriptor
    while true {
      let count = systemRead(descriptor, buffer.baseAddress, buffer.count)
      if count >= 0 { return count }
      let code = systemErrorNumber()
      if code == EINTR { continue }
      throw .gzipFailed(path: path, reason: "reading the decompressed stream failed: \(POSIXErrorText.describe(code))")
    }
  }

  func close() throws(PreparationError) {
    guard !finished else { return }
    finished = true
    process.waitUntilExit()
    let message = errorPipe.fileHandleForReading.readDataToEndOfFile()
    if fileDescriptor >= 0 {
      _ = systemClose(fileDescriptor)
      fileDescriptor = -1
    }
    guard process.terminationReason == .exit, process.terminationStatus == 0 else {
      let detail = String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
      throw .gzipFailed(
        path: path,
        reason: "gzip -dc exited with status \(process.terminationStatus)"
          + (detail.isEmpty ? "" : ": \(detail)"))
    }
  }

  /// Returns the first executable named `name` on `PATH`, falling back to /usr/bin and /bin.
  static func findExecutable(_ name: String) -> String? {
    let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? ""
    var folders = searchPath.split(separator: ":").map(String.init)
    folders.append(contentsOf: ["/usr/bin", "/bin"])
    for folder in folders where !folder.isEmpty {
      let candidate = folder + "/" + name
      if access(candidate, X_OK) == 0 { return candidate }
    }
    return nil
  }
}

// MARK: - Errno text

enum POSIXErrorText {
  static func describe(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "errno \(code)" }
    return String(cString: text)
  }
}
