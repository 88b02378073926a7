#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Locating the default jieba data that scripts/setup writes into `.deps/jieba/`.
extension ChineseSegmenter {
  /// jieba 0.42.1's dictionary, copied unchanged.
  public static let defaultDictionaryFile = "dict.txt"
  /// jieba 0.42.1's HMM tables, converted to the format `SegmentationHMM` reads.
  public static let defaultHMMFile = "hmm.txt"
  /// Environment variable that names the folder of the default files.
  public static let dataDirectoryVariable = "SHENZHOU_JIEBA_DIR"

  /// Returns the path of `file` in the default data folder; see `load(dictionary:hmm:)`.
  static func defaultDataPath(file: String) throws(SegmentationError) -> String {
    let fileManager = FileManager.default
    var searched: [String] = []
    if let folder = ProcessInfo.processInfo.environment[dataDirectoryVariable], !folder.isEmpty {
      let path = folder + "/" + file
      if fileManager.fileExists(atPath: path) { return path }
      throw .defaultDataNotFound(file: file, searched: [folder + " (from \(dataDirectoryVariable))"])
    }
    var starts = [fileManager.currentDirectoryPath]
    if let executable = CommandLine.arguments.first, executable.contains("/") {
      let absolute = executable.hasPrefix("/") ? executable : starts[0] + "/" + executable
      starts.append(URL(fileURLWithPath: absolute).deletingLastPathComponent().path)
    }
    for start in starts {
      var folder = URL(fileURLWithPath: start).standardizedFileURL
      while true {
        let candidate = folder.appendingPathComponent(".deps/jieba").path
        if !searched.contains(candidate) {
          searched.append(candidate)
          if fileManager.fileExists(atPath: candidate + "/" + file) {
            return candidate + "/" + file
          }
        }
        let parent = folder.deletingLastPathComponent()
        if parent.path == folder.path { break }
        folder = parent
      }
    }
    throw .defaultDataNotFound(file: file, searched: searched)
  }
}
