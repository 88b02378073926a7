"""Builds tiny random BERT task-head checkpoints with Hugging Face transformers, plus reference outputs.

Usage: make_tiny_heads.py OUTPUT_DIR

For each case it writes OUTPUT_DIR/<case>/ as a Hugging Face model directory (config.json with
architectures and labels, model.safetensors, vocab.txt) and OUTPUT_DIR/<case>/reference.safetensors with
the inputs, the labels, the fp32 outputs of the model in eval mode (logits and loss) and the gradient of
that loss for every parameter, named "grad.<parameter name>".
"""

import json
import os
import sys

import torch
from safetensors.torch import save_file
from transformers import (
    BertConfig,
    BertForMultipleChoice,
    BertForQuestionAnswering,
    BertForSequenceClassification,
    BertForTokenClassification,
)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_tiny_bert import build_vocab, write_vocab  # noqa: E402


def tiny_config(**overrides):
    settings = dict(
        vocab_size=len(build_vocab()), hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
        intermediate_size=37, hidden_act="gelu", max_position_embeddings=40, type_vocab_size=2)
    settings.update(overrides)
    return BertConfig(**settings)


def randomize(model, seed):
    """Random non-zero biases and LayerNorm parameters, so that parity covers them too."""
    torch.manual_seed(seed)
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if name.endswith("bias") or "LayerNorm" in name:
                parameter.add_(torch.randn_like(parameter) * 0.05)
    model.eval()


def token_inputs(shape, vocab_size, seed):
    """input_ids, token_type_ids and attention_mask of `shape`, with padding at the end of the last row."""
    generator = torch.Generator().manual_seed(seed)
    input_ids = torch.randint(5, vocab_size, shape, generator=generator)
    input_ids[..., 0] = 2  # [CLS]
    attention_mask = torch.ones(shape, dtype=torch.long)
    length = shape[-1]
    attention_mask[-1, ..., length - 3:] = 0
    input_ids[-1, ..., length - 3:] = 0
    token_type_ids = torch.zeros(shape, dtype=torch.long)
    token_type_ids[..., length // 2:] = 1
    return input_ids, token_type_ids, attention_mask


def write_case(directory, model, inputs, labels, outputs):
    model.save_pretrained(directory)
    write_vocab(directory, build_vocab())
    outputs["loss"].backward()
    tensors = dict(inputs)
    tensors.update(labels)
    for name, value in outputs.items():
        tensors[name] = value.detach().reshape(-1) if name == "loss" else value.detach()
    for name, parameter in model.named_parameters():
        if parameter.grad is not None:
            tensors["grad." + name] = parameter.grad.detach().clone()
    save_file({key: value.contiguous() for key, value in tensors.items()},
              os.path.join(directory, "reference.safetensors"))


def sequence_case(directory, config, labels, seed):
    torch.manual_seed(seed)
    model = BertForSequenceClassification(config)
    randomize(model, seed + 1)
    input_ids, token_type_ids, attention_mask = token_inputs((3, 9), config.vocab_size, seed + 2)
    inputs = dict(input_ids=input_ids, token_type_ids=token_type_ids, attention_mask=attention_mask)
    result = model(**inputs, labels=labels)
    write_case(directory, model, inputs, {"labels": labels}, {"logits": result.logits, "loss": result.loss})


def token_case(directory, seed):
    config = tiny_config(id2label={i: name for i, name in enumerate(["O", "B-PER", "I-PER", "B-LOC", "I-LOC"])})
    torch.manual_seed(seed)
    model = BertForTokenClassification(config)
    randomize(model, seed + 1)
    input_ids, token_type_ids, attention_mask = token_inputs((2, 9), config.vocab_size, seed + 2)
    labels = torch.randint(0, 5, (2, 9), generator=torch.Generator().manual_seed(seed + 3))
    labels[:, 0] = -100
    labels[1, 6:] = -100
    inputs = dict(input_ids=input_ids, token_type_ids=token_type_ids, attention_mask=attention_mask)
    result = model(**inputs, labels=labels)
    write_case(directory, model, inputs, {"labels": labels}, {"logits": result.logits, "loss": result.loss})


def question_answering_case(directory, seed):
    config = tiny_config()
    torch.manual_seed(seed)
    model = BertForQuestionAnswering(config)
    randomize(model, seed + 1)
    input_ids, token_type_ids, attention_mask = token_inputs((3, 9), config.vocab_size, seed + 2)
    # The third row's answer lies outside the input, so transformers leaves it out of the loss.
    start_positions = torch.tensor([5, 6, 12])
    end_positions = torch.tensor([7, 6, 14])
    inputs = dict(input_ids=input_ids, token_type_ids=token_type_ids, attention_mask=attention_mask)
    result = model(**inputs, start_positions=start_positions, end_positions=end_positions)
    write_case(directory, model, inputs, {"start_positions": start_positions, "end_positions": end_positions},
               {"start_logits": result.start_logits, "end_logits": result.end_logits, "loss": result.loss})


def multiple_choice_case(directory, seed):
    config = tiny_config(hidden_dropout_prob=0.2, classifier_dropout=0.3)
    torch.manual_seed(seed)
    model = BertForMultipleChoice(config)
    randomize(model, seed + 1)
    input_ids, token_type_ids, attention_mask = token_inputs((2, 4, 8), config.vocab_size, seed + 2)
    labels = torch.tensor([3, 1])
    inputs = dict(input_ids=input_ids, token_type_ids=token_type_ids, attention_mask=attention_mask)
    result = model(**inputs, labels=labels)
    write_case(directory, model, inputs, {"labels": labels}, {"logits": result.logits, "loss": result.loss})


def main():
    output = sys.argv[1]
    os.makedirs(output, exist_ok=True)
    three = {0: "entailment", 1: "neutral", 2: "contradiction"}
    sequence_case(os.path.join(output, "sequence_single"), tiny_config(id2label=three),
                  torch.tensor([2, 0, 1]), 10)
    sequence_case(os.path.join(output, "sequence_regression"), tiny_config(num_labels=1),
                  torch.tensor([0.5, -1.25, 2.0]), 20)
    multi = tiny_config(num_labels=4, problem_type="multi_label_classification", hidden_act="relu")
    sequence_case(os.path.join(output, "sequence_multi_label"), multi,
                  torch.tensor([[1.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0], [1.0, 1.0, 0.0, 0.0]]), 30)
    token_case(os.path.join(output, "token"), 40)
    question_answering_case(os.path.join(output, "question_answering"), 50)
    multiple_choice_case(os.path.join(output, "multiple_choice"), 60)
    with open(os.path.join(output, "done.json"), "w") as handle:
        json.dump({"transformers": __import__("transformers").__version__, "torch": torch.__version__}, handle)


if __name__ == "__main__":
    main()
