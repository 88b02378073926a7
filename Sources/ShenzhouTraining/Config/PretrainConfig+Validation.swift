import ShenzhouData
import ShenzhouModels
import ShenzhouNN

extension PretrainConfig {
  /// Checks values and the relations between them; every error names the key.
  public func validate() throws {
    func require(_ condition: Bool, _ key: String, _ message: String) throws {
      if !condition { throw PretrainConfigError(source: "config", key: key, message: message) }
    }
    try require(!corpus.isEmpty, "data.corpus", "is required: the directory written by `shenzhou prepare`")
    try require(!outputDirectory.isEmpty, "run.output_dir", "must name a run directory, e.g. runs/pretrain")
    try require(seed >= 0, "run.seed", "must be >= 0, got \(seed)")
    try require(
      hiddenSize <= 65536 && intermediateSize <= 262_144 && numHiddenLayers <= 1024, "model.hidden_size",
      "model.hidden_size, model.intermediate_size or model.num_hidden_layers is implausibly large; check the values")
    try require(maxSteps > 0, "run.max_steps", "must be positive")
    try require(maxMinutes >= 0, "run.max_minutes", "must be >= 0")
    try require(logEvery > 0, "run.log_every", "must be positive")
    try require(saveEvery >= 0, "run.save_every", "must be >= 0")
    try require(keepLast >= 1, "run.keep_last", "must be at least 1")
    try require(threads >= 0, "run.threads", "must be >= 0")
    try require((try? Device(parsing: device)) != nil, "run.device", "must be cpu, cuda or cuda:N, got \(device)")
    try require(maxSeqLength >= 8, "data.max_seq_length", "must be at least 8")
    if initFrom.isEmpty {
      try require(
        maxSeqLength <= maxPositionEmbeddings, "data.max_seq_length",
        "is \(maxSeqLength) but model.max_position_embeddings is \(maxPositionEmbeddings); raise the position table "
          + "or shorten the sequences")
    }
    try require(batchSize >= 1, "data.batch_size", "must be at least 1")
    try require(prefetchBatches >= 0, "data.prefetch_batches", "must be >= 0")
    try require(
      ["token", "whole_word", "span"].contains(maskingStrategy), "masking.strategy",
      "must be token, whole_word or span, got \(maskingStrategy)")
    try require(
      maskingRatioRange.isEmpty || maskingRatioRange.count == 2, "masking.ratio_range", "must be empty or [a, b]")
    try require(
      ["token", "word"].contains(replacementScope), "masking.replacement_scope", "must be token or word")
    try require(
      ["none", "fixed", "per_head", "learned", "running_mean"].contains(attentionResidualMode),
      "model.attention_residual.mode", "must be none, fixed, per_head, learned or running_mean")
    try require(rdropAlpha >= 0, "objective.rdrop_alpha", "must be >= 0")
    try require(emaAlpha >= 0 && emaAlpha <= 1, "objective.ema_alpha", "must be in [0, 1]")
    try require(
      !(rdropAlpha > 0 && emaAlpha > 0), "objective.ema_alpha",
      "the momentum teacher replaces the second R-Drop pass; set objective.rdrop_alpha or objective.ema_alpha, not both")
    try require(emaMomentum > 0 && emaMomentum < 1, "objective.ema_momentum", "must be in (0, 1)")
    try require(
      layerwiseLayers.count == layerwiseWeights.count, "objective.layerwise_weights",
      "needs one weight per entry of objective.layerwise_layers (\(layerwiseLayers.count))")
    try require(layerwiseTemperature > 0, "objective.layerwise_temperature", "must be positive")
    try require(autoregressiveGroups >= 1, "objective.autoregressive_groups", "must be at least 1")
    try require(["adamw", "lamb"].contains(optimizer), "optim.optimizer", "must be adamw or lamb")
    try require(learningRate > 0, "optim.lr", "must be positive")
    try require(weightDecay >= 0, "optim.weight_decay", "must be >= 0")
    try require(beta1 >= 0 && beta1 < 1, "optim.beta1", "must be in [0, 1)")
    try require(beta2 >= 0 && beta2 < 1, "optim.beta2", "must be in [0, 1)")
    try require(epsilon > 0, "optim.eps", "must be positive")
    try require(["linear", "cosine", "constant"].contains(schedule), "optim.schedule", "must be linear, cosine or constant")
    try require(warmupSteps >= 0, "optim.warmup_steps", "must be >= 0")
    try require(minLearningRateRatio >= 0 && minLearningRateRatio <= 1, "optim.min_lr_ratio", "must be in [0, 1]")
    try require(gradientClip >= 0, "optim.grad_clip", "must be >= 0")
    try require(gradientAccumulation >= 1, "optim.grad_accum", "must be at least 1")
    try require(["fp32", "bf16", "fp16"].contains(precision), "precision.mode", "must be fp32, bf16 or fp16")
    if precision == "fp16" {
      try require(
        device.hasPrefix("cuda"), "precision.mode", "fp16 autocast with loss scaling needs a CUDA device; use bf16 on CPU")
    }
    try require(initialLossScale >= 1, "precision.initial_loss_scale", "must be at least 1")
    try require(lossScaleWindow >= 1, "precision.loss_scale_window", "must be at least 1")
  }

  /// The encoder config of a new model; the vocabulary size comes from the prepared corpus.
  public func bertConfig(vocabSize: Int, padTokenId: Int) throws -> BertConfig {
    var config = BertConfig()
    config.vocabSize = vocabSize
    config.hiddenSize = hiddenSize
    config.numHiddenLayers = numHiddenLayers
    config.numAttentionHeads = numAttentionHeads
    config.intermediateSize = intermediateSize
    config.maxPositionEmbeddings = maxPositionEmbeddings
    config.padTokenId = padTokenId
    guard let activation = Activation(rawValue: hiddenAct) else {
      throw PretrainConfigError(source: "config", key: "model.hidden_act", message: "unknown activation \(hiddenAct)")
    }
    config.hiddenAct = activation
    config.hiddenDropoutProb = hiddenDropout
    config.attentionProbsDropoutProb = attentionDropout
    config.attentionResidual = try attentionResidualConfig()
    try config.validate(source: "config (model.*)")
    return config
  }

  public func attentionResidualConfig() throws -> AttentionResidualConfig? {
    guard attentionResidualMode != "none", let mode = AttentionResidualMode(rawValue: attentionResidualMode) else {
      return nil
    }
    return AttentionResidualConfig(mode: mode, decay: attentionResidualDecay)
  }

  /// Masking settings for the data loader.
  public var maskingConfiguration: MaskingConfiguration {
    let strategy: MaskingStrategy =
      switch maskingStrategy {
      case "token": .token
      case "span": .span(p: spanP, maxLength: spanMaxLength)
      default: .wholeWord
      }
    let ratio: MaskingRatio =
      maskingRatioRange.count == 2
      ? .uniform(lower: maskingRatioRange[0], upper: maskingRatioRange[1]) : .fixed(maskingRatio)
    return MaskingConfiguration(
      strategy: strategy, ratio: ratio, maskProbability: maskProbability,
      randomTokenProbability: randomTokenProbability,
      replacementScope: replacementScope == "word" ? .perUnit : .perToken)
  }

  public var loaderConfiguration: LoaderConfiguration {
    LoaderConfiguration(
      packing: PackingConfiguration(maxSequenceLength: maxSeqLength, crossesDocuments: crossDocuments),
      masking: maskingConfiguration, batchSize: batchSize, seed: UInt64(seed), shuffles: true, dropsLastBatch: true,
      padsToLongest: false, prefetchBatches: prefetchBatches, epochs: nil)
  }
}
