"""Builds tiny random BERT checkpoints with Hugging Face transformers, plus reference outputs for parity tests.

Usage: make_tiny_bert.py OUTPUT_DIR

For each config it writes OUTPUT_DIR/<name>/ as a Hugging Face model directory and
OUTPUT_DIR/<name>/reference.safetensors with the inputs, the fp32 outputs (last hidden state, pooled output,
MLM logits, MLM loss) and the gradient of the MLM loss for every parameter, named "grad.<parameter name>".
"""

import json
import os
import sys

import torch
from safetensors.torch import save_file
from transformers import BertConfig, BertForPreTraining, BertTokenizerFast

SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
CJK = list("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质气第向道")
LATIN = list("abcdefghijklmnopqrstuvwxyz0123456789.,!?") + ["##s", "##ing", "##ed", "hello", "world"]


def build_vocab():
    seen = []
    for token in SPECIAL + LATIN + CJK:
        if token not in seen:
            seen.append(token)
    return seen


def write_vocab(directory, vocab):
    with open(os.path.join(directory, "vocab.txt"), "w", encoding="utf-8") as handle:
        handle.write("\n".join(vocab) + "\n")


def reference_inputs(vocab_size, pad_id):
    generator = torch.Generator().manual_seed(7)
    input_ids = torch.randint(5, vocab_size, (2, 9), generator=generator)
    input_ids[:, 0] = 2  # [CLS]
    attention_mask = torch.ones(2, 9, dtype=torch.long)
    attention_mask[1, 6:] = 0
    input_ids[1, 6:] = pad_id
    token_type_ids = torch.zeros(2, 9, dtype=torch.long)
    token_type_ids[:, 5:] = 1
    labels = torch.full((2, 9), -100, dtype=torch.long)
    labels[0, 2] = int(input_ids[0, 2])
    labels[0, 4] = 11
    labels[1, 3] = 17
    return input_ids, token_type_ids, attention_mask, labels


def build(directory, config, weights_format):
    os.makedirs(directory, exist_ok=True)
    torch.manual_seed(1234)
    model = BertForPreTraining(config)
    # Random non-zero biases and LayerNorm parameters, so that parity covers them too.
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if name.endswith("bias") or "LayerNorm" in name:
                parameter.add_(torch.randn_like(parameter) * 0.05)
    model.eval()
    if weights_format == "bin":
        # Old-style pytorch_model.bin as Google's converted checkpoints ship it: LayerNorm.gamma/beta names and the
        # position_ids buffer.
        model.save_pretrained(directory)
        os.remove(os.path.join(directory, "model.safetensors"))
        legacy = {}
        for name, tensor in model.state_dict().items():
            name = name.replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta")
            legacy[name] = tensor.clone()
        legacy["bert.embeddings.position_ids"] = torch.arange(config.max_position_embeddings).unsqueeze(0)
        torch.save(legacy, os.path.join(directory, "pytorch_model.bin"))
    elif weights_format == "sharded":
        model.save_pretrained(directory, max_shard_size="20KB")
    else:
        model.save_pretrained(directory)
    write_vocab(directory, build_vocab())

    input_ids, token_type_ids, attention_mask, labels = reference_inputs(config.vocab_size, config.pad_token_id)
    outputs = model.bert(input_ids=input_ids, token_type_ids=token_type_ids, attention_mask=attention_mask)
    logits = model.cls.predictions(outputs.last_hidden_state)
    loss = torch.nn.functional.cross_entropy(logits.view(-1, config.vocab_size), labels.view(-1), ignore_index=-100)
    loss.backward()

    tensors = {
        "input_ids": input_ids,
        "token_type_ids": token_type_ids,
        "attention_mask": attention_mask,
        "labels": labels,
        "last_hidden_state": outputs.last_hidden_state.detach(),
        "pooled_output": outputs.pooler_output.detach(),
        "logits": logits.detach(),
        "loss": loss.detach().reshape(1),
    }
    for name, parameter in model.named_parameters():
        if parameter.grad is not None:
            tensors["grad." + name] = parameter.grad.detach().clone()
    save_file({key: value.contiguous() for key, value in tensors.items()}, os.path.join(directory, "reference.safetensors"))


def build_tokenizer_json_only(directory):
    """A masked-LM directory with tokenizer.json and no vocab.txt, as recent transformers versions export."""
    os.makedirs(directory, exist_ok=True)
    vocab = build_vocab()
    scratch = os.path.join(directory, "_vocab")
    os.makedirs(scratch, exist_ok=True)
    write_vocab(scratch, vocab)
    tokenizer = BertTokenizerFast.from_pretrained(scratch)
    assert tokenizer.convert_tokens_to_ids("中") == vocab.index("中"), "the fixture vocabulary did not load"
    tokenizer.save_pretrained(directory)
    for leftover in ("vocab.txt",):
        path = os.path.join(directory, leftover)
        if os.path.exists(path):
            os.remove(path)
    os.remove(os.path.join(scratch, "vocab.txt"))
    os.rmdir(scratch)
    config = BertConfig(
        vocab_size=len(vocab), hidden_size=48, num_hidden_layers=2, num_attention_heads=4, intermediate_size=96,
        max_position_embeddings=64)
    torch.manual_seed(99)
    from transformers import BertForMaskedLM

    model = BertForMaskedLM(config)
    # Spread the vocabulary bias so that the top-5 order is not decided by rounding noise.
    with torch.no_grad():
        model.cls.predictions.bias.copy_(torch.randn(config.vocab_size))
    model.save_pretrained(directory)


def main():
    output = sys.argv[1]
    vocab_size = len(build_vocab())
    config_a = BertConfig(
        vocab_size=vocab_size, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=37,
        hidden_act="gelu", layer_norm_eps=1e-12, max_position_embeddings=40, type_vocab_size=2)
    config_b = BertConfig(
        vocab_size=vocab_size, hidden_size=48, num_hidden_layers=3, num_attention_heads=6, intermediate_size=64,
        hidden_act="gelu_new", layer_norm_eps=1e-5, max_position_embeddings=32, type_vocab_size=3)
    config_c = BertConfig(
        vocab_size=vocab_size, hidden_size=24, num_hidden_layers=2, num_attention_heads=2, intermediate_size=40,
        hidden_act="relu", layer_norm_eps=1e-7, max_position_embeddings=24, type_vocab_size=2)
    build(os.path.join(output, "gelu_safetensors"), config_a, "safetensors")
    build(os.path.join(output, "gelu_new_bin"), config_b, "bin")
    build(os.path.join(output, "relu_sharded"), config_c, "sharded")
    build_tokenizer_json_only(os.path.join(output, "tokenizer_json_only"))
    with open(os.path.join(output, "done.json"), "w") as handle:
        json.dump({"transformers": __import__("transformers").__version__, "torch": torch.__version__}, handle)


if __name__ == "__main__":
    main()
