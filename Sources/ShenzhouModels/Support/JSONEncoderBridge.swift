import Foundation

/// Moves Codable values in and out of `JSONValue` trees through Foundation's JSON coders.
public enum JSONEncoderBridge {
  public static func encode<T: Encodable>(_ value: T) throws -> JSONValue {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return try JSONValue.parse(encoder.encode(value))
  }

  public static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
    try JSONDecoder().decode(type, from: Data(value.serialized(pretty: false).utf8))
  }
}
