"""Times torch.optim.AdamW and torch.nn.utils.clip_grad_norm_ over the BERT-base parameter shapes that
Tests/TensorsTests/OptimBenchmarkTests.swift uses, for comparison with the shenzhou optimizers.

Usage: optim_torch.py LAYERS REPEATS

Prints milliseconds per call: the mean of REPEATS calls after one warm-up call, on torch's default
number of intra-op threads (printed in the header).
"""

import sys
import time

import torch


def bert_shapes(layers):
    shapes = [[21128, 768], [512, 768], [2, 768], [768], [768]]
    for _ in range(layers):
        shapes += [[768, 768], [768]] * 4
        shapes += [[768], [768], [3072, 768], [3072], [768, 3072], [768], [768], [768]]
    return shapes


def time_ms(repeats, body):
    body()
    start = time.perf_counter()
    for _ in range(repeats):
        body()
    return (time.perf_counter() - start) * 1000 / repeats


def main():
    layers = int(sys.argv[1])
    repeats = int(sys.argv[2])
    generator = torch.Generator().manual_seed(1)
    params = []
    for shape in bert_shapes(layers):
        param = torch.nn.Parameter(torch.randn(shape, generator=generator) * 0.02)
        param.grad = torch.randn(shape, generator=generator) * 0.01
        params.append(param)
    count = sum(p.numel() for p in params)
    decay = [p for p in params if p.dim() >= 2]
    no_decay = [p for p in params if p.dim() < 2]
    groups = [{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}]
    print(f"torch {torch.__version__}: {len(params)} tensors, {count} parameters, {torch.get_num_threads()} threads")
    for label, options in [("fused", {"fused": True}), ("foreach", {"foreach": True}), ("single-tensor", {"foreach": False})]:
        optimizer = torch.optim.AdamW(groups, lr=1e-4, **options)
        print(f"  torch adamw {label:<14}{time_ms(repeats, optimizer.step):8.1f} ms/step")
    clip = lambda: torch.nn.utils.clip_grad_norm_(params, 1e9)
    print(f"  torch clip_grad_norm_     {time_ms(repeats, clip):8.1f} ms/call")


if __name__ == "__main__":
    main()
