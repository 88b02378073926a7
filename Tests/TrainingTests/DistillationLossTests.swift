import Foundation
import ShenzhouModels
import ShenzhouTestSupport
import ShenzhouTraining
import Testing

/// Each loss term against an independent computation in Python torch on the same tiny tensors.
@Suite(.enabled(if: TestEnvironment.hasPython, "needs the project's Python (run scripts/setup)"))
struct DistillationLossTests {
  let logits1: [Float] = (0..<20).map { Float(sin(Double($0) * 1.3)) * 2 }
  let logits2: [Float] = (0..<20).map { Float(cos(Double($0) * 0.7)) * 1.5 }
  let targets: [Int64] = [1, 4, 0, 3]

  func python(_ body: String) throws -> [Double] {
    let script = """
      import json, torch
      import torch.nn.functional as F
      a = torch.tensor(\(logits1)).reshape(4, 5)
      b = torch.tensor(\(logits2)).reshape(4, 5)
      y = torch.tensor(\(targets))
      def kl(p_log, q_log):
          return (p_log.exp() * (p_log - q_log)).sum(-1).mean()
      \(body)
      """
    let output = try TestEnvironment.runPython(script)
    let value = try JSONValue.parse(output)
    return value.arrayValue?.compactMap(\.doubleValue) ?? []
  }

  @Test func rDropMatchesTorch() throws {
    let a = try Tensor(logits1, shape: [4, 5])
    let b = try Tensor(logits2, shape: [4, 5])
    let result = try DistillationLosses.rDrop(logits1: a, logits2: b, targets: Tensor(targets), alpha: 0.7)
    let expected = try python("""
      ce = 0.5 * (F.cross_entropy(a, y) + F.cross_entropy(b, y))
      la, lb = a.log_softmax(-1), b.log_softmax(-1)
      k = 0.5 * (kl(la, lb) + kl(lb, la))
      print(json.dumps([float(ce + 0.7 * k), float(ce), float(k)]))
      """)
    #expect(Swift.abs(try result.loss.item() - expected[0]) < 1e-6)
    #expect(Swift.abs(try result.crossEntropy.item() - expected[1]) < 1e-6)
    #expect(Swift.abs(try result.kl.item() - expected[2]) < 1e-6)
  }

  @Test func emaTeacherMatchesTorch() throws {
    let student = try Tensor(logits1, shape: [4, 5])
    let teacher = try Tensor(logits2, shape: [4, 5])
    let result = try DistillationLosses.emaTeacher(
      studentLogits: student, teacherLogits: teacher, targets: Tensor(targets), alpha: 0.3)
    let expected = try python("""
      ce = F.cross_entropy(a, y)
      k = kl(b.log_softmax(-1), a.log_softmax(-1))
      print(json.dumps([float(0.7 * ce + 0.3 * k)]))
      """)
    #expect(Swift.abs(try result.loss.item() - expected[0]) < 1e-6)
  }

  @Test func layerwiseMatchesTorch() throws {
    let final = try Tensor(logits1, shape: [4, 5])
    let layer = try Tensor(logits2, shape: [4, 5])
    let loss = try DistillationLosses.layerwise(
      layerLogits: [layer, layer * 0.5], finalLogits: final, weights: [0.4, 1.2], temperature: 2.0)
    let expected = try python("""
      T = 2.0
      t = (a / T).log_softmax(-1)
      total = 0.4 * T * T * kl(t, (b / T).log_softmax(-1)) + 1.2 * T * T * kl(t, (0.5 * b / T).log_softmax(-1))
      print(json.dumps([float(total)]))
      """)
    #expect(Swift.abs(try loss.item() - expected[0]) < 1e-6)
  }

  @Test func layerwiseStopsGradientAtFinalLayer() throws {
    let final = try Tensor(logits1, shape: [4, 5]).requiringGrad()
    let layer = try Tensor(logits2, shape: [4, 5]).requiringGrad()
    try DistillationLosses.layerwise(layerLogits: [layer], finalLogits: final, weights: [1], temperature: 1).backward()
    #expect(final.grad == nil)
    #expect(layer.grad != nil)
  }

  @Test func layerwiseWeightCountMismatchThrows() throws {
    let logits = try Tensor(logits1, shape: [4, 5])
    #expect(throws: TensorError.self) {
      try DistillationLosses.layerwise(layerLogits: [logits], finalLogits: logits, weights: [], temperature: 1)
    }
  }
}
