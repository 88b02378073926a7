"""Independent BERT encoder forward with the cross-layer attention residual, in plain torch ops.

Usage: residual_attention_reference.py MODEL_DIR INPUTS.safetensors OUTPUT.safetensors

Reads config.json and model.safetensors (Hugging Face BERT keys), runs the encoder in eval mode for each residual
mode below and writes the final hidden states as "<mode>".
Modes: "plain" (no residual), "fixed_0" (lambda 0), "fixed_1" (RealFormer), "fixed_0.5", "per_head"
(lambda per head from 0.1 up in steps of 0.2), "running_mean".
"""

import json
import math
import sys

import torch
from safetensors.torch import load_file, save_file


def main():
    directory, inputs_path, output_path = sys.argv[1:4]
    config = json.load(open(f"{directory}/config.json"))
    w = load_file(f"{directory}/model.safetensors")
    inputs = load_file(inputs_path)
    ids, types, mask = inputs["input_ids"], inputs["token_type_ids"], inputs["attention_mask"]
    heads = config["num_attention_heads"]
    hidden_size = config["hidden_size"]
    head_size = hidden_size // heads
    eps = config["layer_norm_eps"]
    act = {"gelu": lambda x: torch.nn.functional.gelu(x), "relu": torch.relu,
           "gelu_new": lambda x: torch.nn.functional.gelu(x, approximate="tanh")}[config["hidden_act"]]

    def ln(x, prefix):
        return torch.nn.functional.layer_norm(x, (hidden_size,), w[prefix + ".weight"], w[prefix + ".bias"], eps)

    def linear(x, prefix):
        return x @ w[prefix + ".weight"].T + w[prefix + ".bias"]

    batch, length = ids.shape
    positions = torch.arange(length)
    x = (w["bert.embeddings.word_embeddings.weight"][ids] + w["bert.embeddings.position_embeddings.weight"][positions]
         + w["bert.embeddings.token_type_embeddings.weight"][types])
    x0 = ln(x, "bert.embeddings.LayerNorm")
    additive = (1.0 - mask.float())[:, None, None, :] * torch.finfo(torch.float32).min

    def split(t):
        return t.view(batch, length, heads, head_size).transpose(1, 2)

    def run(combine):
        h = x0
        previous = None
        for layer in range(config["num_hidden_layers"]):
            p = f"bert.encoder.layer.{layer}"
            q = split(linear(h, p + ".attention.self.query"))
            k = split(linear(h, p + ".attention.self.key"))
            v = split(linear(h, p + ".attention.self.value"))
            scores = q @ k.transpose(-1, -2) / math.sqrt(head_size)
            if combine is not None and previous is not None:
                scores = combine(scores, previous, layer + 1)
            previous = scores
            probabilities = (scores + additive).softmax(-1)
            context = (probabilities @ v).transpose(1, 2).reshape(batch, length, hidden_size)
            attended = ln(linear(context, p + ".attention.output.dense") + h, p + ".attention.output.LayerNorm")
            inner = act(linear(attended, p + ".intermediate.dense"))
            h = ln(linear(inner, p + ".output.dense") + attended, p + ".output.LayerNorm")
        return h

    per_head = torch.tensor([0.1 + 0.2 * i for i in range(heads)]).view(1, heads, 1, 1)
    outputs = {
        "plain": run(None),
        "fixed_0": run(lambda s, prev, l: s + 0.0 * prev),
        "fixed_1": run(lambda s, prev, l: s + prev),
        "fixed_0.5": run(lambda s, prev, l: s + 0.5 * prev),
        "per_head": run(lambda s, prev, l: s + per_head * prev),
        "running_mean": run(lambda s, prev, l: ((l - 1) * prev + s) / l),
    }
    save_file({key: value.contiguous() for key, value in outputs.items()}, output_path)


if __name__ == "__main__":
    with torch.no_grad():
        main()
