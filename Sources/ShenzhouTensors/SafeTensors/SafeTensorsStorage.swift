#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Read-only bytes of a safetensors file: a private memory mapping of the file, or a copy
/// in memory. The bytes stay valid until the storage is deallocated, so every view that
/// points into them keeps a reference to it.
///
/// NOTE: if another process truncates a mapped file, reading the lost pages raises SIGBUS.
/// Write checkpoints atomically (as ``SafeTensorsWriter`` does) so readers never see that.
final class SafeTensorsStorage: @unchecked Sendable {
  private enum Ownership {
    case mapped
    case allocated
  }

  let bytes: UnsafeRawBufferPointer
  private let ownership: Ownership

  private init(bytes: UnsafeRawBufferPointer, ownership: Ownership) {
    self.bytes = bytes
    self.ownership = ownership
  }

  deinit {
    guard let start = bytes.baseAddress else { return }
    switch ownership {
    case .mapped:
      munmap(UnsafeMutableRawPointer(mutating: start), bytes.count)
    case .allocated:
      UnsafeMutableRawPointer(mutating: start).deallocate()
    }
  }

  /// Maps the file at `path` read-only.
  static func map(path: String) throws(SafeTensorsError) -> SafeTensorsStorage {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      let code = errno
      if code == ENOENT { throw .fileNotFound(file: path) }
      throw .cannotRead(file: path, reason: systemErrorMessage(code))
    }
    defer { close(descriptor) }

    var status = stat()
    guard fstat(descriptor, &status) == 0 else {
      throw .cannotRead(file: path, reason: systemErrorMessage(errno))
    }
    guard (status.st_mode & S_IFMT) == S_IFREG else {
      throw .cannotRead(file: path, reason: "not a regular file")
    }
    let size = Int(status.st_size)
    guard size > 0 else {
      return SafeTensorsStorage(bytes: UnsafeRawBufferPointer(start: nil, count: 0), ownership: .mapped)
    }

    let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0)
    guard let address, address != MAP_FAILED else {
      throw .cannotRead(file: path, reason: "mmap failed: \(systemErrorMessage(errno))")
    }
    return SafeTensorsStorage(bytes: UnsafeRawBufferPointer(start: address, count: size), ownership: .mapped)
  }

  /// Copies `data` into storage owned by the returned object.
  static func copy(_ data: [UInt8]) -> SafeTensorsStorage {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(data.count, 1), alignment: 16)
    data.withUnsafeBytes { source in
      if let base = source.baseAddress, let destination = buffer.baseAddress {
        destination.copyMemory(from: base, byteCount: source.count)
      }
    }
    return SafeTensorsStorage(
      bytes: UnsafeRawBufferPointer(start: buffer.baseAddress, count: data.count), ownership: .allocated)
  }
}

/// Returns the text of a C `errno` value, such as "Permission denied".
func systemErrorMessage(_ code: Int32) -> String {
  guard let text = strerror(code) else { return "error \(code)" }
  return String(cString: text)
}
