// Corpus shards, masking and the batch loader.
