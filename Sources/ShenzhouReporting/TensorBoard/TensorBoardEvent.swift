/// Encodes the parts of TensorBoard's `tensorboard.Event` protobuf message that scalar logging
/// uses, with the field numbers from `event.proto` and `summary.proto`:
///
///     Event         { double wall_time = 1; int64 step = 2; string file_version = 3;
///                     Summary summary = 5; }
///     Summary       { repeated Value value = 1; }
///     Summary.Value { string tag = 1; float simple_value = 2; }
enum TensorBoardEvent {
  /// The `file_version` that the first record of every event file carries.
  static let fileVersion = "brain.Event:2"

  static func fileVersionRecord(wallTime: Double) -> [UInt8] {
    var event = ProtobufEncoder()
    event.appendDouble(field: 1, wallTime)
    event.appendString(field: 3, fileVersion)
    return event.bytes
  }

  static func scalarRecord(
    wallTime: Double, step: Int64, values: [(tag: String, value: Float)]
  ) -> [UInt8] {
    var summary = ProtobufEncoder()
    for (tag, value) in values {
      var summaryValue = ProtobufEncoder()
      summaryValue.appendString(field: 1, tag)
      summaryValue.appendFloat(field: 2, value)
      summary.appendBytes(field: 1, summaryValue.bytes)
    }

    var event = ProtobufEncoder()
    event.appendDouble(field: 1, wallTime)
    event.appendInt64(field: 2, step)
    event.appendBytes(field: 5, summary.bytes)
    return event.bytes
  }
}
