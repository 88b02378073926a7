#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// MARK: - POSIX wrappers

// Free functions with distinct names, so that types with their own `read` or `close` methods can
// call the system versions without qualifying the C module.

func systemOpen(_ path: String, flags: Int32, mode: mode_t = 0o644) -> Int32 {
  open(path, flags, mode)
}

func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
  read(descriptor, buffer, count)
}

func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
  write(descriptor, buffer, count)
}

func systemPositionedWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int, _ offset: Int64) -> Int {
  pwrite(descriptor, buffer, count, off_t(offset))
}

func systemPositionedRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int, _ offset: Int64) -> Int {
  pread(descriptor, buffer, count, off_t(offset))
}

@discardableResult
func systemClose(_ descriptor: Int32) -> Int32 {
  close(descriptor)
}

/// Returns the current error number of the calling thread.
func systemErrorNumber() -> Int32 {
  errno
}
