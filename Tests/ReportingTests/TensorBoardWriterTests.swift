import Foundation
import ShenzhouTestSupport
import Testing

@testable import ShenzhouReporting

/// Reads an event file with TensorBoard's own record reader, which checks every masked
/// CRC-32C and stops at the first bad record, and with its EventAccumulator, which is what
/// the TensorBoard UI queries. Non-finite floats are printed as strings because JSON has
/// no literal for them.
private let readEventsScript = """
  import json, math, sys
  from tensorboard.backend.event_processing import event_file_loader
  from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
  from tensorboard.compat.proto import event_pb2

  def number(value):
      return value if math.isfinite(value) else repr(value)

  path, logdir = sys.argv[1], sys.argv[2]
  events = []
  for raw in event_file_loader.RawEventFileLoader(path).Load():
      event = event_pb2.Event.FromString(raw)
      events.append({
          "wall_time": event.wall_time,
          "step": event.step,
          "file_version": event.file_version,
          "values": [[v.tag, number(v.simple_value)] for v in event.summary.value],
          "canonical": event.SerializeToString() == raw,
      })
  accumulator = EventAccumulator(logdir)
  accumulator.Reload()
  scalars = {
      tag: [[s.step, number(s.value)] for s in accumulator.Scalars(tag)]
      for tag in accumulator.Tags()["scalars"]
  }
  print(json.dumps({"events": events, "scalars": scalars}))
  """

private struct TensorBoardReadout: Decodable {
  struct Event: Decodable {
    var wall_time: Double
    var step: Int
    var file_version: String
    var values: [[StringOrNumber]]
    var canonical: Bool
  }
  var events: [Event]
  var scalars: [String: [[StringOrNumber]]]
}

/// A JSON value that is a string or a number.
private enum StringOrNumber: Decodable, Equatable {
  case string(String)
  case number(Double)

  init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let number = try? container.decode(Double.self) {
      self = .number(number)
    } else {
      self = .string(try container.decode(String.self))
    }
  }
}

private func readWithTensorBoard(_ file: URL) throws -> TensorBoardReadout {
  let output = try TestEnvironment.runPython(
    readEventsScript, arguments: [file.path, file.deletingLastPathComponent().path])
  return try JSONDecoder().decode(TensorBoardReadout.self, from: Data(output.utf8))
}

@Suite struct TensorBoardWriterTests {
  @Test(.enabled(if: tensorBoardIsInstalled, "needs tensorboard in the project's Python; run scripts/setup"))
  func tensorBoardReadsScalars() throws {
    let folder = try temporaryFolder("tensorboard")
    let writer = try TensorBoardWriter(directory: folder.appendingPathComponent("run"))
    try writer.addScalar(tag: "loss/mlm", value: 2.5, step: 0, wallTime: 1_700_000_000.25)
    try writer.addScalar(tag: "loss/mlm", value: 1.75, step: 10, wallTime: 1_700_000_010.5)
    try writer.addScalars(
      [("loss/sop", 0.693359375), ("learning_rate", 0.0001), ("損失", -3)], step: 10,
      wallTime: 1_700_000_010.5)
    try writer.addScalar(tag: "grad_norm", value: .nan, step: 20, wallTime: 1_700_000_020)
    try writer.addScalar(tag: "loss/mlm", value: 1.5, step: 5_000_000_000, wallTime: 1_700_000_030)
    writer.close()

    let readout = try readWithTensorBoard(writer.fileURL)
    #expect(readout.events.count == 6)
    #expect(readout.events.allSatisfy { $0.canonical })
    #expect(readout.events.first?.file_version == "brain.Event:2")
    #expect(readout.events.map(\.step) == [0, 0, 10, 10, 20, 5_000_000_000])
    #expect(readout.events[2].wall_time == 1_700_000_010.5)
    #expect(readout.events[3].values.map { $0.first } == [.string("loss/sop"), .string("learning_rate"), .string("損失")])

    #expect(readout.scalars["loss/mlm"] == [[.number(0), .number(2.5)], [.number(10), .number(1.75)], [.number(5_000_000_000), .number(1.5)]])
    #expect(readout.scalars["loss/sop"] == [[.number(10), .number(0.693359375)]])
    #expect(readout.scalars["learning_rate"]?.first?.last == .number(Double(Float(0.0001))))
    #expect(readout.scalars["損失"] == [[.number(10), .number(-3)]])
    #expect(readout.scalars["grad_norm"] == [[.number(20), .string("nan")]])
  }

  @Test(.enabled(if: tensorBoardIsInstalled, "needs tensorboard in the project's Python; run scripts/setup"))
  func corruptedRecordFailsCRC() throws {
    let folder = try temporaryFolder("tensorboard-crc")
    let writer = try TensorBoardWriter(directory: folder)
    try writer.addScalar(tag: "loss", value: 1, step: 1, wallTime: 1_700_000_000)
    try writer.addScalar(tag: "loss", value: 2, step: 2, wallTime: 1_700_000_001)
    writer.close()
    #expect(try readWithTensorBoard(writer.fileURL).events.count == 3)

    var bytes = [UInt8](try Data(contentsOf: writer.fileURL))
    let firstRecordLength = Int(bytes[0]) + 16
    bytes[firstRecordLength + 12 + 2] ^= 0x01
    try Data(bytes).write(to: writer.fileURL)
    let events = try readWithTensorBoard(writer.fileURL).events
    #expect(events.count == 1, "the reader must stop at the record whose data CRC no longer matches")
  }

  @Test func fileNameFollowsConvention() throws {
    let folder = try temporaryFolder("tensorboard-name")
    let first = try TensorBoardWriter(directory: folder)
    let second = try TensorBoardWriter(directory: folder)
    defer {
      first.close()
      second.close()
    }
    let name = first.fileURL.lastPathComponent
    let parts = name.split(separator: ".", omittingEmptySubsequences: false)
    #expect(name.hasPrefix("events.out.tfevents."))
    #expect(name.hasSuffix(".\(getpid()).shenzhou"))
    #expect(Int(parts[3]).map { abs($0 - Int(Date().timeIntervalSince1970)) < 60 } == true)
    #expect(second.fileURL != first.fileURL)
    #expect(second.fileURL.lastPathComponent.contains("tfevents"))
  }

  @Test func fileVersionRecordIsWrittenAtOnce() throws {
    let folder = try temporaryFolder("tensorboard-header")
    let writer = try TensorBoardWriter(directory: folder)
    let size = try Data(contentsOf: writer.fileURL).count
    #expect(size == 8 + 4 + 24 + 4)
    writer.close()
  }

  @Test func recordsAreBufferedUntilFlush() throws {
    let folder = try temporaryFolder("tensorboard-buffer")
    let writer = try TensorBoardWriter(directory: folder, flushInterval: .seconds(3600))
    let header = try Data(contentsOf: writer.fileURL).count
    try writer.addScalar(tag: "loss", value: 1, step: 1)
    #expect(try Data(contentsOf: writer.fileURL).count == header)
    try writer.flush()
    #expect(try Data(contentsOf: writer.fileURL).count > header)
    writer.close()
  }

  @Test func invalidUseThrows() throws {
    let folder = try temporaryFolder("tensorboard-errors")
    let writer = try TensorBoardWriter(directory: folder)
    let emptyTag = #expect(throws: ReportingError.self) {
      try writer.addScalar(tag: "", value: 1, step: 1)
    }
    #expect(emptyTag?.kind == .invalidArgument)
    #expect(emptyTag?.description.contains("empty tag") == true)

    writer.close()
    writer.close()
    let closed = #expect(throws: ReportingError.self) {
      try writer.addScalar(tag: "loss", value: 1, step: 2)
    }
    #expect(closed?.kind == .closed)
  }

  @Test func unwritableFolderThrows() throws {
    let folder = try temporaryFolder("tensorboard-blocked")
    let blocker = folder.appendingPathComponent("file")
    try Data().write(to: blocker)
    let error = #expect(throws: ReportingError.self) {
      _ = try TensorBoardWriter(directory: blocker.appendingPathComponent("run"))
    }
    #expect(error?.kind == .fileSystem)
    #expect(error?.path == blocker.appendingPathComponent("run").path)
  }
}
