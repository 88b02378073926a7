#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Returns this machine's host name from `gethostname`, with every byte other than ASCII
/// letters, digits, `.`, `-` and `_` replaced by `_` so that it is safe inside a file name.
/// Returns `"localhost"` when the call fails or the name is empty.
///
/// Unlike `ProcessInfo.hostName`, this never resolves the name through DNS.
func sanitizedHostName() -> String {
  var buffer = [CChar](repeating: 0, count: 256)
  guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
  let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
  if bytes.isEmpty { return "localhost" }

  let safe = bytes.map { byte -> UInt8 in
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"),
      UInt8(ascii: "_"):
      return byte
    default:
      return UInt8(ascii: "_")
    }
  }
  return String(decoding: safe, as: UTF8.self)
}

/// Returns the ID of this process.
func currentProcessID() -> Int32 {
  getpid()
}
