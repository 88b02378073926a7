import ShenzhouModels

/// Arithmetic of the forward pass during fine-tuning and evaluation.
public enum FinetunePrecision: String, Sendable, Codable, CaseIterable {
  /// Everything in float32.
  case float32 = "fp32"
  /// bfloat16 autocast around the forward pass: matmuls and linear layers compute in bfloat16, while softmax,
  /// layer norm and losses stay in float32. Weights, gradients and optimizer state stay float32.
  case bfloat16 = "bf16"
}

/// Hyperparameters and run settings of `Finetuner`.
///
/// The defaults follow common BERT fine-tuning recipes and transformers' `Trainer` where it has a counterpart:
/// AdamW with weight decay 0.01 outside biases and LayerNorm weights, linear warmup over 10% of the updates
/// followed by linear decay to 0, and gradient clipping at norm 1.
public struct FinetuneConfig: Sendable, Equatable, Codable {
  /// Peak learning rate, reached at the end of warmup.
  public var learningRate = 2e-5
  /// Passes over the training set.
  public var epochs = 3
  /// Stops after this many optimizer updates, even within an epoch, and shortens the schedule to match; nil
  /// trains all epochs.
  public var maxSteps: Int? = nil
  /// Features per micro-batch, so an update sees `batchSize × gradientAccumulation` of them.
  public var batchSize = 32
  /// Features per batch during evaluation and prediction.
  public var evalBatchSize = 64
  /// Maximum tokens per input row, counting `[CLS]` and `[SEP]`; longer inputs are truncated.
  public var maxLength = 128
  /// Fraction of the updates spent on linear warmup, rounded up to whole updates as transformers does.
  public var warmupRatio = 0.1
  /// Decoupled weight decay of AdamW on every parameter except biases and LayerNorm weights.
  public var weightDecay = 0.01
  /// Micro-batches whose gradients add up to one update.
  public var gradientAccumulation = 1
  /// Global gradient-norm limit before each update; 0 turns clipping off.
  public var maxGradNorm = 1.0
  public var precision = FinetunePrecision.float32
  /// Seeds the epoch shuffles and libtorch's default generators, which draw the dropout masks.
  public var seed: UInt64 = 42
  /// Evaluates on the dev set every this many updates; 0 evaluates at the end of each epoch. A run that ends
  /// between evaluations evaluates once more at its last update.
  public var evalEvery = 0
  /// Where the best dev checkpoint is saved, as a Hugging Face model directory in `best/`; nil keeps it in memory
  /// only.
  public var outputDirectory: String? = nil
  /// A model directory whose tokenizer files (vocab.txt, tokenizer.json, tokenizer_config.json,
  /// special_tokens_map.json) are copied into every saved checkpoint.
  public var tokenizerDirectory: String? = nil
  /// Loads the best dev weights back into the model when training ends.
  public var restoreBestAtEnd = true
  public var device = Device.cpu
  public var adam = AdamHyperparameters.adamWDefaults

  public init() {}
}

// MARK: - Validation

extension FinetuneConfig {
  /// Checks every field, throwing `FinetuneError.invalidConfig` naming the first invalid one.
  public func validate() throws {
    func require(_ condition: Bool, _ field: String, _ message: String) throws {
      if !condition { throw FinetuneError.invalidConfig(field: field, message: message) }
    }
    try require(
      learningRate.isFinite && learningRate > 0, "learning_rate", "is \(learningRate); expected a number > 0")
    try require(epochs > 0, "epochs", "is \(epochs); expected an integer > 0")
    if let maxSteps { try require(maxSteps > 0, "max_steps", "is \(maxSteps); expected an integer > 0 or none") }
    try require(batchSize > 0, "batch_size", "is \(batchSize); expected an integer > 0")
    try require(evalBatchSize > 0, "eval_batch_size", "is \(evalBatchSize); expected an integer > 0")
    try require(maxLength >= 3, "max_length", "is \(maxLength); expected at least 3 ([CLS], a token and [SEP])")
    try require(
      warmupRatio.isFinite && warmupRatio >= 0 && warmupRatio <= 1, "warmup_ratio",
      "is \(warmupRatio); expected a number in [0, 1]")
    try require(
      weightDecay.isFinite && weightDecay >= 0, "weight_decay", "is \(weightDecay); expected a number >= 0")
    try require(
      gradientAccumulation > 0, "gradient_accumulation", "is \(gradientAccumulation); expected an integer > 0")
    try require(
      maxGradNorm.isFinite && maxGradNorm >= 0, "max_grad_norm", "is \(maxGradNorm); expected a number >= 0")
    try require(evalEvery >= 0, "eval_every", "is \(evalEvery); expected an integer >= 0")
    if let outputDirectory {
      try require(!outputDirectory.isEmpty, "output_dir", "is empty; name a directory or leave it unset")
    }
  }
}
