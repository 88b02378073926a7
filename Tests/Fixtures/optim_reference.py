"""Prints reference values for the optimizer tests as one JSON object on stdout.

Usage: optim_reference.py

Sections:
  parameters  names, shapes and float32 initial values of a small model's trainable parameters
  grads       per step, one flat gradient per parameter, or null when the parameter has no gradient that step
  adamw       settings and the parameters after every step of torch.optim.AdamW (default single-tensor path)
  lamb        settings and the parameters after every step of the LAMB written out below
  schedules   learning rates that transformers' LambdaLR schedules give at each optimizer step
  clipping    gradients and total norms before and after torch.nn.utils.clip_grad_norm_

All numbers are float32 values written as exact doubles.
"""

import json
import math
import sys

import torch
from transformers import (
    get_constant_schedule_with_warmup,
    get_cosine_schedule_with_warmup,
    get_cosine_with_min_lr_schedule_with_warmup,
    get_linear_schedule_with_warmup,
)

STEPS = 5
LRS = [1e-2, 2e-2, 5e-3, 1e-2, 3e-2]

# Names and shapes of the Swift test model's trainable parameters, in its declaration order.
PARAMETERS = [
    ("embeddings.word_embeddings.weight", [10, 4]),
    ("embeddings.LayerNorm.weight", [4]),
    ("embeddings.LayerNorm.bias", [4]),
    ("encoder.dense.weight", [3, 4]),
    ("encoder.dense.bias", [3]),
]
NO_DECAY = {"embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias", "encoder.dense.bias"}
# (step, parameter) pairs without a gradient: their .grad is None, so torch.optim skips them that step.
MISSING_GRADS = {(2, "encoder.dense.bias")}
# (step, parameter) pairs whose gradient is all zeros, so that LAMB's update norm is 0 there.
ZERO_GRADS = {(0, "embeddings.LayerNorm.weight")}


def flat(tensor):
    return tensor.detach().double().flatten().tolist()


def initial_values(generator):
    values = {}
    for name, shape in PARAMETERS:
        if name.endswith("LayerNorm.weight"):
            values[name] = torch.ones(shape)
        elif name.endswith("LayerNorm.bias"):
            values[name] = torch.zeros(shape)
        else:
            values[name] = torch.randn(shape, generator=generator)
    return values


def gradients(generator):
    steps = []
    for step in range(STEPS):
        grads = {}
        for name, shape in PARAMETERS:
            if (step, name) in MISSING_GRADS:
                grads[name] = None
            elif (step, name) in ZERO_GRADS:
                grads[name] = torch.zeros(shape)
            else:
                grads[name] = torch.randn(shape, generator=generator) * 0.5
        steps.append(grads)
    return steps


def make_parameters(initial):
    return {name: torch.nn.Parameter(initial[name].clone()) for name, _ in PARAMETERS}


def run_adamw(initial, grads, settings, fused):
    params = make_parameters(initial)
    decay = [params[n] for n, _ in PARAMETERS if n not in NO_DECAY]
    no_decay = [params[n] for n, _ in PARAMETERS if n in NO_DECAY]
    optimizer = torch.optim.AdamW(
        [
            {"params": decay, "weight_decay": settings["weight_decay"]},
            {"params": no_decay, "weight_decay": 0.0},
        ],
        lr=LRS[0],
        betas=(settings["beta1"], settings["beta2"]),
        eps=settings["eps"],
        foreach=False,
        fused=fused,
    )
    history = []
    for step in range(STEPS):
        for name, _ in PARAMETERS:
            grad = grads[step][name]
            params[name].grad = None if grad is None else grad.clone()
        for group in optimizer.param_groups:
            group["lr"] = LRS[step]
        optimizer.step()
        history.append({name: flat(params[name]) for name, _ in PARAMETERS})
    return history


def run_lamb(initial, grads, settings):
    """LAMB as in You et al. 2019, written out per tensor in float32."""
    params = {name: initial[name].clone() for name, _ in PARAMETERS}
    state = {}
    beta1, beta2, eps = settings["beta1"], settings["beta2"], settings["eps"]
    history = []
    for step in range(STEPS):
        for name, _ in PARAMETERS:
            grad = grads[step][name]
            if grad is None:
                continue
            weight_decay = 0.0 if name in NO_DECAY else settings["weight_decay"]
            entry = state.setdefault(
                name, {"step": 0, "m": torch.zeros_like(params[name]), "v": torch.zeros_like(params[name])}
            )
            entry["step"] += 1
            t = entry["step"]
            entry["m"] = beta1 * entry["m"] + (1 - beta1) * grad
            entry["v"] = beta2 * entry["v"] + (1 - beta2) * grad * grad
            m_hat = entry["m"] / (1 - beta1**t)
            v_hat = entry["v"] / (1 - beta2**t)
            update = m_hat / (v_hat.sqrt() + eps) + weight_decay * params[name]
            weight_norm = params[name].norm().item()
            update_norm = update.norm().item()
            trust = weight_norm / update_norm if weight_norm > 0 and update_norm > 0 else 1.0
            params[name] = params[name] - LRS[step] * trust * update
        history.append({name: flat(params[name]) for name, _ in PARAMETERS})
    return history


def schedule_values():
    peak = 5e-4
    steps = 60
    cases = [
        ("constant", dict(warmup=7, total=50, min_ratio=0.0, cycles=0.5),
         lambda opt: get_constant_schedule_with_warmup(opt, 7)),
        ("constant", dict(warmup=0, total=50, min_ratio=0.0, cycles=0.5),
         lambda opt: get_constant_schedule_with_warmup(opt, 0)),
        ("linear", dict(warmup=10, total=50, min_ratio=0.0, cycles=0.5),
         lambda opt: get_linear_schedule_with_warmup(opt, 10, 50)),
        ("linear", dict(warmup=0, total=37, min_ratio=0.0, cycles=0.5),
         lambda opt: get_linear_schedule_with_warmup(opt, 0, 37)),
        ("cosine", dict(warmup=6, total=50, min_ratio=0.0, cycles=0.5),
         lambda opt: get_cosine_schedule_with_warmup(opt, 6, 50)),
        ("cosine", dict(warmup=5, total=45, min_ratio=0.1, cycles=0.5),
         lambda opt: get_cosine_with_min_lr_schedule_with_warmup(opt, 5, 45, min_lr_rate=0.1)),
        ("cosine", dict(warmup=3, total=40, min_ratio=0.0, cycles=1.5),
         lambda opt: get_cosine_schedule_with_warmup(opt, 3, 40, num_cycles=1.5)),
    ]
    result = []
    for kind, settings, make in cases:
        optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=peak)
        scheduler = make(optimizer)
        lrs = []
        for _ in range(steps):
            lrs.append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            scheduler.step()
        result.append({"kind": kind, "peak": peak, **settings, "lrs": lrs})
    return result


def clipping_cases(generator):
    shapes = [[6, 5], [5], [3, 2, 2]]
    cases = []
    for max_norm, scale in [(1.0, 1.0), (100.0, 1.0), (0.5, 1e-3)]:
        grads = [torch.randn(shape, generator=generator) * scale for shape in shapes]
        params = [torch.nn.Parameter(torch.zeros(shape)) for shape in shapes]
        for param, grad in zip(params, grads):
            param.grad = grad.clone()
        total = torch.nn.utils.clip_grad_norm_(params, max_norm)
        cases.append({
            "max_norm": max_norm,
            "shapes": shapes,
            "grads": [flat(g) for g in grads],
            "total_norm": float(total),
            "clipped": [flat(p.grad) for p in params],
        })
    return cases


def main():
    generator = torch.Generator().manual_seed(20190401)
    initial = initial_values(generator)
    grads = gradients(generator)
    adamw_settings = {"beta1": 0.9, "beta2": 0.95, "eps": 1e-8, "weight_decay": 0.1}
    lamb_settings = {"beta1": 0.9, "beta2": 0.999, "eps": 1e-6, "weight_decay": 0.01}
    output = {
        "parameters": [{"name": n, "shape": s, "values": flat(initial[n])} for n, s in PARAMETERS],
        "no_decay": sorted(NO_DECAY),
        "lrs": LRS,
        "grads": [{n: (None if g is None else flat(g)) for n, g in step.items()} for step in grads],
        "adamw": {**adamw_settings, "history": run_adamw(initial, grads, adamw_settings, fused=None)},
        "adamw_fused": run_adamw(initial, grads, adamw_settings, fused=True),
        "lamb": {**lamb_settings, "history": run_lamb(initial, grads, lamb_settings)},
        "schedules": schedule_values(),
        "clipping": clipping_cases(generator),
    }
    json.dump(output, sys.stdout)


if __name__ == "__main__":
    main()
