import ShenzhouModels

/// The JSON form of `FinetuneConfig`: snake_case keys, the device as text (`cpu`, `cuda:0`), and defaults for
/// missing keys, so that a config file names only what it changes.
extension FinetuneConfig {
  enum CodingKeys: String, CodingKey {
    case learningRate = "learning_rate"
    case epochs
    case maxSteps = "max_steps"
    case batchSize = "batch_size"
    case evalBatchSize = "eval_batch_size"
    case maxLength = "max_length"
    case warmupRatio = "warmup_ratio"
    case weightDecay = "weight_decay"
    case gradientAccumulation = "gradient_accumulation"
    case maxGradNorm = "max_grad_norm"
    case precision
    case seed
    case evalEvery = "eval_every"
    case outputDirectory = "output_dir"
    case tokenizerDirectory = "tokenizer_dir"
    case restoreBestAtEnd = "restore_best_at_end"
    case device
    case adamBeta1 = "adam_beta1"
    case adamBeta2 = "adam_beta2"
    case adamEpsilon = "adam_epsilon"
  }

  /// Reads a config, taking the default for every missing key. Throws `DecodingError` for a value of the wrong
  /// type, and `FinetuneError.invalidConfig` for an unknown device or invalid Adam settings. `validate()` checks
  /// the ranges of the other fields.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    var config = FinetuneConfig()
    func read<T: Decodable>(_ key: CodingKeys, into value: inout T) throws {
      if let decoded = try container.decodeIfPresent(T.self, forKey: key) { value = decoded }
    }
    try read(.learningRate, into: &config.learningRate)
    try read(.epochs, into: &config.epochs)
    config.maxSteps = try container.decodeIfPresent(Int.self, forKey: .maxSteps)
    try read(.batchSize, into: &config.batchSize)
    try read(.evalBatchSize, into: &config.evalBatchSize)
    try read(.maxLength, into: &config.maxLength)
    try read(.warmupRatio, into: &config.warmupRatio)
    try read(.weightDecay, into: &config.weightDecay)
    try read(.gradientAccumulation, into: &config.gradientAccumulation)
    try read(.maxGradNorm, into: &config.maxGradNorm)
    try read(.precision, into: &config.precision)
    try read(.seed, into: &config.seed)
    try read(.evalEvery, into: &config.evalEvery)
    config.outputDirectory = try container.decodeIfPresent(String.self, forKey: .outputDirectory)
    config.tokenizerDirectory = try container.decodeIfPresent(String.self, forKey: .tokenizerDirectory)
    try read(.restoreBestAtEnd, into: &config.restoreBestAtEnd)
    if let device = try container.decodeIfPresent(String.self, forKey: .device) {
      do {
        config.device = try Device(parsing: device)
      } catch {
        throw FinetuneError.invalidConfig(field: "device", message: "is \"\(device)\"; expected cpu, cuda or cuda:N")
      }
    }
    var beta1 = config.adam.beta1
    var beta2 = config.adam.beta2
    var epsilon = config.adam.epsilon
    try read(.adamBeta1, into: &beta1)
    try read(.adamBeta2, into: &beta2)
    try read(.adamEpsilon, into: &epsilon)
    do {
      config.adam = try AdamHyperparameters(beta1: beta1, beta2: beta2, epsilon: epsilon)
    } catch let error as OptimizerError {
      throw FinetuneError.invalidConfig(field: "adam_" + error.field, message: error.message)
    }
    self = config
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(learningRate, forKey: .learningRate)
    try container.encode(epochs, forKey: .epochs)
    try container.encode(maxSteps, forKey: .maxSteps)
    try container.encode(batchSize, forKey: .batchSize)
    try container.encode(evalBatchSize, forKey: .evalBatchSize)
    try container.encode(maxLength, forKey: .maxLength)
    try container.encode(warmupRatio, forKey: .warmupRatio)
    try container.encode(weightDecay, forKey: .weightDecay)
    try container.encode(gradientAccumulation, forKey: .gradientAccumulation)
    try container.encode(maxGradNorm, forKey: .maxGradNorm)
    try container.encode(precision, forKey: .precision)
    try container.encode(seed, forKey: .seed)
    try container.encode(evalEvery, forKey: .evalEvery)
    try container.encode(outputDirectory, forKey: .outputDirectory)
    try container.encode(tokenizerDirectory, forKey: .tokenizerDirectory)
    try container.encode(restoreBestAtEnd, forKey: .restoreBestAtEnd)
    try container.encode(device.description, forKey: .device)
    try container.encode(adam.beta1, forKey: .adamBeta1)
    try container.encode(adam.beta2, forKey: .adamBeta2)
    try container.encode(adam.epsilon, forKey: .adamEpsilon)
  }
}
