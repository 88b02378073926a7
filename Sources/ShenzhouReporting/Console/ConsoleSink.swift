import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A destination for console text, which the step log and progress display write through
/// instead of printing on their own.
public struct ConsoleSink: Sendable {
  /// Whether the destination is an interactive terminal, which can redraw a line in place.
  public let isTerminal: Bool
  /// Writes text as given; line breaks are part of the text.
  public let write: @Sendable (String) -> Void

  public init(isTerminal: Bool, write: @escaping @Sendable (String) -> Void) {
    self.isTerminal = isTerminal
    self.write = write
  }

  /// Returns a sink that writes UTF-8 to `handle` and is a terminal when `isatty` returns 1
  /// for the handle's descriptor. Write errors are ignored, because console output must not
  /// stop a training run.
  ///
  /// NOTE: writing to a pipe whose reader has exited raises SIGPIPE, which ends the process
  /// unless the program ignores that signal (`signal(SIGPIPE, SIG_IGN)`).
  public static func fileHandle(_ handle: FileHandle) -> ConsoleSink {
    let terminal = isatty(handle.fileDescriptor) == 1
    return ConsoleSink(isTerminal: terminal) { text in
      try? handle.write(contentsOf: Data(text.utf8))
    }
  }

  /// Standard output.
  public static var standardOutput: ConsoleSink { fileHandle(.standardOutput) }
  /// Standard error.
  public static var standardError: ConsoleSink { fileHandle(.standardError) }
}
