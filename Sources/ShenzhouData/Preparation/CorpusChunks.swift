// MARK: - Chunks

/// A run of lines from one input file, cut by the reader thread for one worker.
struct RawChunk: Sendable {
  struct Line: Sendable {
    /// Byte range in `RawChunk.bytes`.
    var range: Range<Int>
    var location: LineLocation
    /// True when a new document begins at this line.
    var startsDocument: Bool
  }

  var index: Int
  var fileIndex: Int
  var bytes: [UInt8] = []
  var lines: [Line] = []
  /// Lines read into this chunk, blank ones included.
  var lineCount = 0
  var blankLines = 0
  /// Bytes of the lines read into this chunk, terminators and blank lines included, decompressed.
  var streamBytes: Int64 = 0
  /// Position in the input for progress: bytes on disk of earlier files plus this file's consumed bytes.
  var inputPosition: Int64 = 0
  /// A read failure, delivered in order so that the earliest problem in the input is the one reported.
  var failure: PreparationError?
}

/// A worker's encoding of one `RawChunk`.
struct EncodedChunk: Sendable {
  var index: Int
  var fileIndex: Int
  var tokens: [Int32] = []
  var wordStarts: [Bool] = []
  /// Token count of each sentence, in order.
  var sentenceLengths: [Int] = []
  /// Per sentence: true when a document boundary comes before it.
  var sentenceStartsDocument: [Bool] = []
  /// True when a document boundary follows the last sentence, for example after a skipped line.
  var endsWithDocumentBoundary = false
  var lineCount = 0
  var blankLines = 0
  var skippedLines = 0
  var bytes: Int64 = 0
  var inputPosition: Int64 = 0
  var failure: PreparationError?
}
