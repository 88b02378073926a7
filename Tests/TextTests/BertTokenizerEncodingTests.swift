import Foundation
import Testing

@testable import ShenzhouText

/// Texts of 0 to about 40 tokens for pair and truncation tests.
let pairTexts: [String] = [
  "", "我", "你好", "北京欢迎你", "今天天气很好，我们去公园散步吧。", "Hello world", "[MASK]的故事",
  "e\u{301}cole 和 café", "https://example.com/a?b=1 是一个网址", "一二三四五六七八九十一二三四五六七八九十",
  "👍🏽 表情 👨‍👩‍👧", "这是一个比较长的句子，用来测试截断策略在两个序列长度不同时的行为是否与参考实现一致。",
]

func compare(_ encoding: Encoding, _ expected: ReferenceResponse.Encoded, _ label: String) {
  #expect(encoding.ids == expected.ids, "ids, \(label)")
  #expect(encoding.typeIDs == expected.type_ids, "type ids, \(label)")
  #expect(encoding.attentionMask == expected.attention_mask, "attention mask, \(label)")
  #expect(encoding.specialTokensMask == expected.special_tokens_mask, "special tokens mask, \(label)")
  #expect(encoding.offsets.map { [$0.lowerBound, $0.upperBound] } == expected.offsets, "offsets, \(label)")
  #expect(encoding.sequenceIDs == expected.sequence_ids, "sequence ids, \(label)")
}

func strategy(_ name: String?) -> TruncationStrategy {
  name.flatMap(TruncationStrategy.init(rawValue:)) ?? .none
}

@Suite(.enabled(if: TestPaths.hasReference, "needs ../shared/data/vocab and .venv with transformers"))
struct BertTokenizerEncodingTests {
  let tokenizer: BertTokenizer

  init() throws {
    tokenizer = try BertTokenizer(vocabFile: TestPaths.vocab)
  }

  @Test func pairTruncationMatchesFast() throws {
    var calls: [ReferenceRequest.EncodeCall] = []
    let strategies = ["longest_first", "only_first", "only_second"]
    let lengths = [1, 2, 3, 4, 5, 6, 8, 9, 12, 17, 20, 33, 64]
    for first in pairTexts.indices {
      for offset in [0, 1, 5, 7] {
        let second = (first * 3 + offset) % pairTexts.count
        for (index, length) in lengths.enumerated() where (index + first + offset) % 3 == 0 {
          calls.append(
            .init(
              text: pairTexts[first], pair: pairTexts[second], max_length: length,
              truncation: strategies[(first + index + offset) % 3],
              padding: index % 4 == 0 ? "max_length" : nil))
        }
      }
      for length in [1, 2, 3, 7] {
        calls.append(.init(text: pairTexts[first], max_length: length, truncation: "longest_first"))
        calls.append(.init(text: pairTexts[first], max_length: length, truncation: "only_first"))
        calls.append(.init(text: pairTexts[first], max_length: length, truncation: "only_second"))
      }
      calls.append(.init(text: pairTexts[first], pair: pairTexts[first], add_special_tokens: false))
    }
    var request = ReferenceRequest()
    request.encode = calls
    let reference = try Reference.run(request)
    var failures = 0
    for (call, expected) in zip(calls, reference.encode) {
      let label = "\(call.text.debugDescription) + \(call.pair?.debugDescription ?? "nil"), \(call.truncation ?? "none") to \(call.max_length.map(String.init) ?? "nil")"
      let result = Result { () throws(TokenizerError) -> Encoding in
        try tokenizer.encode(
          call.text, pair: call.pair, addSpecialTokens: call.add_special_tokens,
          maxLength: call.max_length, truncation: strategy(call.truncation),
          padding: call.padding == nil ? .none : .maxLength)
      }
      switch (result, expected.error) {
      case (.success(let encoding), nil):
        compare(encoding, expected, label)
      case (.failure(let error), let message?):
        #expect(message.contains("Truncation error"), "\(label): HF failed with \(message), we with \(error)")
      case (.success, let message?):
        failures += 1
        Issue.record("\(label): HF failed with \(message) but we encoded")
      case (.failure(let error), nil):
        failures += 1
        Issue.record("\(label): we failed with \(error) but HF encoded")
      }
    }
    #expect(failures == 0)
    #expect(reference.encode.contains { $0.error != nil }, "the cases include truncation failures")
  }

  @Test func batchPaddingMatchesFast() throws {
    var request = ReferenceRequest()
    let firsts = Array(pairTexts.prefix(8))
    let seconds = Array(pairTexts.suffix(8))
    request.batches = [
      .init(texts: firsts, padding: "longest"),
      .init(texts: firsts, pairs: seconds, padding: "longest"),
      .init(texts: firsts, pairs: seconds, max_length: 16, truncation: "longest_first", padding: "max_length"),
      .init(texts: firsts, max_length: 24, padding: "max_length"),
    ]
    let reference = try Reference.run(request)
    let results: [[Encoding]] = [
      try tokenizer.encodeBatch(firsts, padding: .longest),
      try tokenizer.encodeBatch(firsts, pairs: seconds, padding: .longest),
      try tokenizer.encodeBatch(
        firsts, pairs: seconds, maxLength: 16, truncation: .longestFirst, padding: .maxLength),
      try tokenizer.encodeBatch(firsts, padding: .fixed(24)),
    ]
    for (batch, (ours, expected)) in zip(results, reference.batches).enumerated() {
      #expect(ours.count == expected.count)
      for (row, (encoding, reference)) in zip(ours, expected).enumerated() {
        compare(encoding, reference, "batch \(batch) row \(row)")
      }
    }
  }

  @Test func decodeMatchesFast() throws {
    let texts = hardCases + pairTexts
    var request = ReferenceRequest()
    var idLists: [[Int32]] = []
    for text in texts {
      idLists.append(try tokenizer.encode(text).ids)
    }
    idLists.append([1, 2, 100, 21127, 99999, -5, 101])
    idLists.append(tokenizer.tokenIDs("hello , world . don ' t ! ? 's"))
    idLists.append(try #require(["##ab", "x", "."].map { tokenizer.id(forToken: $0) } as? [Int32]))
    for ids in idLists {
      // The Rust decoder rejects negative ids, which ours skips like other ids without a token.
      let valid = ids.filter { $0 >= 0 }
      request.decode.append(.init(ids: valid, skip_special_tokens: false))
      request.decode.append(.init(ids: valid, skip_special_tokens: true))
    }
    let reference = try Reference.run(request)
    for (index, ids) in idLists.enumerated() {
      #expect(tokenizer.decode(ids) == reference.decode[2 * index], "decode of \(ids)")
      #expect(
        tokenizer.decode(ids, skipSpecialTokens: true) == reference.decode[2 * index + 1],
        "decode of \(ids) without special tokens")
    }
  }

  @Test func addedTokensMatchFast() throws {
    let added: [ReferenceRequest.AddedTokenSpec] = [
      .init(content: "<L>", special: true, normalized: false, lstrip: true, rstrip: true),
      .init(content: "<ent>", special: true, normalized: false),
      .init(content: "新词", special: false, normalized: true),
      .init(content: "Hello", special: false, normalized: true),
      .init(content: "ÉCOLE", special: false, normalized: false),
      .init(content: "abc", special: false, normalized: true),
    ]
    var options = BertTokenizerOptions()
    options.addedTokens = added.map {
      AddedToken($0.content, special: $0.special, normalized: $0.normalized, lstrip: $0.lstrip, rstrip: $0.rstrip)
    }
    let custom = try BertTokenizer(vocabFile: TestPaths.vocab, options: options)
    let texts = [
      "x  <L>  y", "x<L>y", "<L>", "  <L>", "新词语 hello HELLO école ÉCOLE xabcx abc", "新 词",
      "我是<ent>张三</ent>", "<ent><ent>[MASK]<L>[SEP]", "HeLLo新词新词",
    ]
    var request = ReferenceRequest()
    request.tokenizer.added_tokens = added
    request.texts = texts
    request.encode = texts.map { .init(text: $0) }
    let reference = try Reference.run(request)
    for (index, text) in texts.enumerated() {
      let spans = custom.tokenize(text)
      #expect(spans.map(\.id) == reference.tokens[index].ids, "ids of \(text.debugDescription)")
      #expect(
        spans.map { [$0.start, $0.end] } == reference.tokens[index].offsets,
        "offsets of \(text.debugDescription)")
      compare(try custom.encode(text), reference.encode[index], text.debugDescription)
    }
  }

  @Test func specialTokenIDs() {
    #expect(tokenizer.padTokenID == 0)
    #expect(tokenizer.unkTokenID == 100)
    #expect(tokenizer.clsTokenID == 101)
    #expect(tokenizer.sepTokenID == 102)
    #expect(tokenizer.maskTokenID == 103)
    #expect(tokenizer.vocabularySize == 21128)
    #expect(tokenizer.token(forID: 103) == "[MASK]")
    #expect(tokenizer.id(forToken: "[MASK]") == 103)
    #expect(tokenizer.token(forID: 21128) == nil)
  }

  @Test func truncationWithoutLengthThrows() {
    #expect(throws: TokenizerError.self) {
      try tokenizer.encode("你好", truncation: .longestFirst)
    }
    #expect(throws: TokenizerError.self) {
      try tokenizer.encode("你好", padding: .maxLength)
    }
    #expect(throws: TokenizerError.self) {
      try tokenizer.encodeBatch(["a", "b"], pairs: ["c"])
    }
  }
}
