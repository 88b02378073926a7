// Text pipeline: tokenizer, word segmentation.
