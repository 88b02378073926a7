"""Hugging Face side of scripts/bench-pretrain: full BertForMaskedLM training steps with torch AdamW.

Usage: hf_pretrain_bench.py (base|small) (fp32|bf16) BATCH SEQ WARMUP STEPS
Prints one JSON object with tokens_per_second and seconds_per_step.
"""

import json
import sys
import time

import torch
from transformers import BertConfig, BertForMaskedLM


def main():
    size, precision, batch, length, warmup, steps = sys.argv[1:7]
    batch, length, warmup, steps = int(batch), int(length), int(warmup), int(steps)
    if size == "small":
        config = BertConfig(vocab_size=21128, hidden_size=256, num_hidden_layers=4, num_attention_heads=4,
                            intermediate_size=1024)
    else:
        config = BertConfig(vocab_size=21128)
    torch.manual_seed(0)
    model = BertForMaskedLM(config)
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)
    ids = torch.randint(5, config.vocab_size, (batch, length))
    masked = torch.rand(batch, length) < 0.15
    labels = torch.where(masked, ids, torch.full_like(ids, -100))
    attention_mask = torch.ones_like(ids)

    def step():
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=precision == "bf16"):
            loss = model(input_ids=ids, attention_mask=attention_mask, labels=labels).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)

    for _ in range(warmup):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    elapsed = time.perf_counter() - start
    print(json.dumps({"tokens_per_second": batch * length * steps / elapsed, "seconds_per_step": elapsed / steps,
                      "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
