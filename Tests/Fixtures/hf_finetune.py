"""Reference fine-tuning of BertForSequenceClassification with transformers and a plain PyTorch loop.

The shenzhou fine-tuning parity test and scripts/finetune-parity run it on the same initial weights, data, batch
order, learning-rate schedule and maximum length as the Swift Finetuner.

Usage:
  hf_finetune.py init-model --vocab FILE --output DIR --labels N [--hidden 128 --layers 2 --heads 2
      --intermediate 512 --max-position 512 --dropout 0.1 --seed 0]
      Writes a randomly initialized BertForSequenceClassification with vocab.txt.
  hf_finetune.py train REQUEST.json OUTPUT.json
      Trains as the request says and writes the per-update losses and learning rates, the dev accuracy at each
      evaluation, and the training throughput.

REQUEST.json fields: model (directory), train and dev (JSON Lines files of {"text", "pair", "label"}; dev may be
null), learning_rate, weight_decay, max_grad_norm, max_length, eval_batch_size, seed, precision ("fp32" or
"bf16"), threads (0 keeps torch's default) and timed_from_step (updates before it are left out of the
throughput). The batches and the schedule come from the request's plan, warmup_steps, total_steps and
eval_steps, or when plan is absent from the JSON file named by plan_file, which is what ShenzhouFinetuneBench
writes: plan is a list of updates, each a list of micro-batches of train line indices, and eval_steps lists
the updates after which to evaluate. The request's other fields (epochs, batch_size...) are for the Swift side.
"""

import argparse
import json
import os
import shutil
import sys
import time
import warnings

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
warnings.filterwarnings("ignore")

import torch  # noqa: E402
import transformers  # noqa: E402
from transformers import BertConfig, BertForSequenceClassification, BertTokenizer  # noqa: E402
from transformers import get_linear_schedule_with_warmup  # noqa: E402

transformers.logging.set_verbosity_error()


def init_model(arguments):
    with open(arguments.vocab, encoding="utf-8") as handle:
        vocab_size = sum(1 for _ in handle)
    config = BertConfig(
        vocab_size=vocab_size, hidden_size=arguments.hidden, num_hidden_layers=arguments.layers,
        num_attention_heads=arguments.heads, intermediate_size=arguments.intermediate,
        max_position_embeddings=arguments.max_position, hidden_dropout_prob=arguments.dropout,
        attention_probs_dropout_prob=arguments.dropout, num_labels=arguments.labels)
    torch.manual_seed(arguments.seed)
    model = BertForSequenceClassification(config)
    model.save_pretrained(arguments.output)
    shutil.copyfile(arguments.vocab, os.path.join(arguments.output, "vocab.txt"))


def read_lines(path):
    if path is None:
        return []
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def encode(tokenizer, examples, max_length):
    texts = [example["text"] for example in examples]
    pairs = [example.get("pair") for example in examples]
    batch = tokenizer(
        texts, pairs if any(pair is not None for pair in pairs) else None, truncation=True, max_length=max_length,
        padding=True, return_tensors="pt")
    labels = torch.tensor([example["label"] if example.get("label") is not None else -100 for example in examples])
    return batch, labels


def decay_groups(model, weight_decay):
    """No decay on biases, LayerNorm weights and every other tensor of rank 0 or 1, as shenzhou groups them."""
    decay, exempt = [], []
    for name, parameter in model.named_parameters():
        if parameter.ndim <= 1 or name.endswith("bias") or "LayerNorm." in name:
            exempt.append(parameter)
        else:
            decay.append(parameter)
    return [{"params": decay, "weight_decay": weight_decay}, {"params": exempt, "weight_decay": 0.0}]


def evaluate(model, tokenizer, dev, request):
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for start in range(0, len(dev), request["eval_batch_size"]):
            chunk = dev[start:start + request["eval_batch_size"]]
            batch, labels = encode(tokenizer, chunk, request["max_length"])
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=request["precision"] == "bf16"):
                logits = model(**batch).logits
            predicted = logits.float().argmax(dim=-1)
            mask = labels != -100
            correct += int((predicted[mask] == labels[mask]).sum())
            total += int(mask.sum())
    model.train()
    return correct / total if total else float("nan")


def train(request_path, output_path):
    with open(request_path, encoding="utf-8") as handle:
        request = json.load(handle)
    if request.get("plan") is None:
        with open(request["plan_file"], encoding="utf-8") as handle:
            planned = json.load(handle)
        for key in ("plan", "warmup_steps", "total_steps", "eval_steps"):
            request[key] = planned[key]
    plan = request["plan"]
    torch.set_num_threads(request.get("threads") or torch.get_num_threads())
    torch.manual_seed(request["seed"])
    tokenizer = BertTokenizer.from_pretrained(request["model"])
    model = BertForSequenceClassification.from_pretrained(request["model"])
    train_examples = read_lines(request["train"])
    dev = read_lines(request.get("dev"))

    optimizer = torch.optim.AdamW(decay_groups(model, request["weight_decay"]), lr=request["learning_rate"])
    scheduler = get_linear_schedule_with_warmup(optimizer, request["warmup_steps"], request["total_steps"])
    eval_steps = set(request.get("eval_steps", []))
    timed_from = request.get("timed_from_step", 1)
    losses, learning_rates, evaluations = [], [], []
    timed_seconds = 0.0
    timed_examples = 0
    model.train()
    for index, step in enumerate(plan):
        started = time.perf_counter()
        optimizer.zero_grad(set_to_none=True)
        total = 0.0
        for micro in step:
            batch, labels = encode(tokenizer, [train_examples[i] for i in micro], request["max_length"])
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=request["precision"] == "bf16"):
                loss = model(**batch, labels=labels).loss
            (loss / len(step)).backward()
            total += loss.item() / len(step)
        if request["max_grad_norm"] > 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), request["max_grad_norm"])
        learning_rates.append(scheduler.get_last_lr()[0])
        optimizer.step()
        scheduler.step()
        losses.append(total)
        if index + 1 >= timed_from:
            timed_seconds += time.perf_counter() - started
            timed_examples += sum(len(micro) for micro in step)
        if index + 1 in eval_steps and dev:
            evaluations.append({"step": index + 1, "accuracy": evaluate(model, tokenizer, dev, request)})
    result = {
        "losses": losses,
        "learning_rates": learning_rates,
        "evaluations": evaluations,
        "examples_per_second": timed_examples / timed_seconds if timed_seconds > 0 else None,
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "threads": torch.get_num_threads(),
    }
    with open(output_path, "w", encoding="utf-8") as handle:
        json.dump(result, handle)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    init = commands.add_parser("init-model")
    init.add_argument("--vocab", required=True)
    init.add_argument("--output", required=True)
    init.add_argument("--labels", type=int, required=True)
    init.add_argument("--hidden", type=int, default=128)
    init.add_argument("--layers", type=int, default=2)
    init.add_argument("--heads", type=int, default=2)
    init.add_argument("--intermediate", type=int, default=512)
    init.add_argument("--max-position", type=int, default=512)
    init.add_argument("--dropout", type=float, default=0.1)
    init.add_argument("--seed", type=int, default=0)
    run = commands.add_parser("train")
    run.add_argument("request")
    run.add_argument("output")
    arguments = parser.parse_args()
    if arguments.command == "init-model":
        init_model(arguments)
    else:
        train(arguments.request, arguments.output)


if __name__ == "__main__":
    sys.exit(main())
