// MARK: - Prepared corpus

/// How much `PretrainingCorpus` checks when it opens a prepared corpus.
public enum CorpusVerification: String, Codable, Sendable {
  /// Headers, offset arrays, and agreement with the manifest's counts.
  case structure
  /// Everything `structure` checks, plus each shard's SHA-256 and that every token id is inside the
  /// vocabulary. Reads every byte once.
  case checksums
}

/// A prepared corpus: the manifest and its memory-mapped shards.
public final class PretrainingCorpus: Sendable {
  public let directory: String
  public let manifest: CorpusManifest
  public let shards: [ShardFile]

  /// Opens the corpus in `directory`.
  ///
  /// - Parameter expectedVocabulary: when given, the corpus must have been prepared with a
  ///   vocabulary of the same SHA-256 and size.
  /// - Throws: `ShardError` naming the file that is missing, corrupt or inconsistent.
  public init(
    directory: String, verification: CorpusVerification = .structure,
    expectedVocabulary: VocabularyDescription? = nil
  ) throws(ShardError) {
    self.directory = directory
    let manifest = try CorpusManifest.read(directory: directory)
    let manifestPath = directory + "/" + CorpusManifest.fileName
    if let expectedVocabulary, expectedVocabulary.sha256 != manifest.vocabulary.sha256
      || expectedVocabulary.size != manifest.vocabulary.size
    {
      throw .vocabularyMismatch(
        path: manifestPath, expected: manifest.vocabulary.sha256, actual: expectedVocabulary.sha256)
    }
    guard manifest.tokenWidth == ShardFormat.tokenWidth(vocabularySize: manifest.vocabulary.size) else {
      throw .manifestInvalid(
        path: manifestPath,
        reason: "token width \(manifest.tokenWidth) does not suit a vocabulary of \(manifest.vocabulary.size)")
    }
    var shards: [ShardFile] = []
    for record in manifest.shards {
      let path = directory + "/" + record.file
      let shard = try ShardFile(path: path)
      let expected = [record.bytes, record.tokens, record.sentences, record.documents, manifest.tokenWidth, manifest.vocabulary.size]
      let actual = [
        shard.fileLength, shard.tokenCount, shard.sentenceCount, shard.documentCount, shard.tokenWidth,
        shard.vocabularySize,
      ]
      guard expected == actual else {
        throw .corrupt(
          path: path,
          reason: "bytes, tokens, sentences, documents, token width and vocabulary size are \(actual) "
            + "but the manifest records \(expected)")
      }
      if verification == .checksums {
        let digest = shard.sha256()
        guard digest == record.sha256 else {
          throw .checksumMismatch(path: path, expected: record.sha256, actual: digest)
        }
        if let index = shard.firstTokenOutsideVocabulary() {
          throw .corrupt(path: path, reason: "token \(index) has id \(shard.token(at: index)), outside the vocabulary")
        }
      }
      shards.append(shard)
    }
    self.manifest = manifest
    self.shards = shards
  }

  public var tokenCount: Int { shards.reduce(0) { $0 + $1.tokenCount } }
  public var sentenceCount: Int { shards.reduce(0) { $0 + $1.sentenceCount } }
  public var documentCount: Int { shards.reduce(0) { $0 + $1.documentCount } }
}
