import Foundation
import ShenzhouCLIKit
import ShenzhouModels
import ShenzhouText

/// `shenzhou fill-mask`: predicts the tokens behind every [MASK] of each stdin line.
struct FillMaskCommand: Command {
  static let model = Option<String>("model", valueName: "dir", help: "Hugging Face model directory with an MLM head.")
  static let topK = Option<Int>(
    "top-k", default: 5, constraint: .positive, valueName: "n", help: "Number of predictions printed for each mask.")
  static let device = Option<String>(
    "device", default: "cpu", valueName: "device", help: "Where to run the model: cpu, cuda or cuda:N.")

  static let configuration = CommandConfiguration(
    name: "fill-mask",
    abstract: "Predict the masked tokens of each input line.",
    discussion: """
      Input: UTF-8 text on stdin, one input per line, each with zero or more [MASK]
      tokens. Inputs longer than the model's max_position_embeddings (at most 512
      tokens with [CLS] and [SEP]) are truncated at the end; masks cut off that way
      are not reported.

      Output: exactly one JSON object per input line, in input order:
        {"text": String,
         "masks": [{"position": Int,
                    "predictions": [{"token": String, "id": Int, "score": Double}, ...]},
                   ...]}
      "masks" has one entry per [MASK], in order; "position" is the token index in
      the model input, where [CLS] is 0; "predictions" has --top-k entries sorted by
      "score", the softmax probability over the whole vocabulary.
      """,
    arguments: [model, topK, device])

  let model: String
  let topK: Int
  let device: Device

  init(parsed: ParsedArguments) throws {
    model = try parsed[Self.model]
    topK = try parsed[Self.topK]
    let deviceText = try parsed[Self.device]
    do {
      device = try Device(parsing: deviceText)
    } catch {
      throw UsageError("--device expects cpu, cuda or cuda:N, got \"\(deviceText)\"")
    }
  }

  func run() throws {
    try Runtime.validate(device)
    let directory = try ModelDirectory(path: model)
    let tokenizer = try BertTokenizer.load(directory: model)
    let (network, _) = try BertForMaskedLM.load(directory: directory)
    try network.convert(device: device)
    let maxLength = min(network.config.maxPositionEmbeddings, 512)
    let k = min(topK, network.config.vocabSize)

    while let line = readLine(strippingNewline: true) {
      let result = try predict(line: line, tokenizer: tokenizer, network: network, maxLength: maxLength, k: k)
      FileHandle.standardOutput.write(Data((result.serialized() + "\n").utf8))
    }
  }

  private func predict(line: String, tokenizer: BertTokenizer, network: BertForMaskedLM, maxLength: Int, k: Int)
    throws -> OrderedJSONObject
  {
    let encoding = try tokenizer.encode(line, maxLength: maxLength, truncation: .longestFirst)
    let positions = encoding.ids.indices.filter { encoding.ids[$0] == tokenizer.maskTokenID }
    guard !positions.isEmpty else {
      return OrderedJSONObject([("text", .value(.string(line))), ("masks", .array([]))])
    }
    let length = encoding.count
    let ids = try Tensor(encoding.ids.map(Int64.init), shape: [1, length]).to(device: device)
    let types = try Tensor(encoding.typeIDs.map(Int64.init), shape: [1, length]).to(device: device)
    let probabilities = try withNoGrad { () throws -> Tensor in
      let output = try network.bert(BertInputs(inputIds: ids, tokenTypeIds: types))
      let index = try Tensor(positions.map(Int64.init)).to(device: device)
      let hidden = try output.lastHiddenState.select(dim: 0, index: 0).indexSelect(dim: 0, index: index)
      return try network.cls.predictions(hidden).to(dtype: .float32).softmax(dim: -1)  // [M, V]
    }
    let (scores, tokenIds) = try probabilities.topk(k, dim: -1)
    let scoreValues = try scores.toArray(Float.self)
    let idValues = try tokenIds.toArray(Int64.self)

    var masks: [OrderedJSON] = []
    for (row, position) in positions.enumerated() {
      var predictions: [OrderedJSON] = []
      for column in 0..<k {
        let id = idValues[row * k + column]
        let prediction = OrderedJSONObject([
          ("token", .value(.string(tokenizer.token(forID: Int32(id)) ?? "[UNK]"))),
          ("id", .value(.number(Double(id)))),
          ("score", .value(.number(Double(scoreValues[row * k + column])))),
        ])
        predictions.append(.object(prediction))
      }
      let mask = OrderedJSONObject([("position", .value(.number(Double(position)))), ("predictions", .array(predictions))])
      masks.append(.object(mask))
    }
    return OrderedJSONObject([("text", .value(.string(line))), ("masks", .array(masks))])
  }
}
