"""Throughput of the Hugging Face BERT tokenizers on the benchmark corpus, single-threaded.

Usage: hf_tokenizer_bench.py VOCAB_FILE CORPUS_FILE ROUNDS
Prints one line per measurement: name, scalars (Python str characters) per second, tokens.
"""
import os
import sys
import time

os.environ["RAYON_NUM_THREADS"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"

import warnings  # noqa: E402

warnings.filterwarnings("ignore")
from transformers import BertTokenizer  # noqa: E402


def measure(name, scalars, rounds, body):
    tokens = body()
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        tokens = body()
        best = min(best, time.perf_counter() - start)
    print(f"{name}\t{scalars / best}\t{tokens}")


def main():
    vocab, corpus, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(corpus, encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    lines = [line for line in lines if line]
    scalars = sum(len(line) for line in lines)
    fast = BertTokenizer(vocab)
    backend = fast.backend_tokenizer

    def rust_batch():
        return sum(len(encoding.ids) for encoding in backend.encode_batch(lines))

    def transformers_call():
        result = fast(lines, return_offsets_mapping=True)
        return sum(len(ids) for ids in result["input_ids"])

    measure("hf-fast-encode-batch", scalars, rounds, rust_batch)
    measure("hf-fast-transformers-call", scalars, rounds, transformers_call)


if __name__ == "__main__":
    main()
