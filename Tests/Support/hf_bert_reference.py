"""Reference outputs of Hugging Face BERT tokenizers for the shenzhou parity tests.

Reads one JSON request on stdin and writes one JSON response on stdout. The request names a
tokenizer (a vocab.txt with options, or a directory and a loader) and lists texts to tokenize,
encode calls, batches and id lists to decode. "fast" is transformers.BertTokenizer (the Rust tokenizers
backend in transformers 5); "slow" is the pure-Python BertTokenizerLegacy.
"""
import json
import os
import sys
import warnings

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
warnings.filterwarnings("ignore")

import transformers  # noqa: E402
from tokenizers import AddedToken, Tokenizer  # noqa: E402
from transformers import BertTokenizer  # noqa: E402
from transformers.models.bert.tokenization_bert_legacy import BertTokenizerLegacy  # noqa: E402

transformers.logging.set_verbosity_error()


def build(spec):
    if "directory" in spec:
        if spec.get("loader") == "tokenizers":
            return None, Tokenizer.from_file(os.path.join(spec["directory"], "tokenizer.json")), None
        fast = BertTokenizer.from_pretrained(spec["directory"])
        return fast, fast.backend_tokenizer, None
    kwargs = dict(
        do_lower_case=spec.get("do_lower_case", True),
        strip_accents=spec.get("strip_accents"),
        tokenize_chinese_chars=spec.get("tokenize_chinese_chars", True),
    )
    fast = BertTokenizer(spec["vocab"], **kwargs)
    if "clean_text" in spec:
        fast.backend_tokenizer.normalizer.clean_text = spec["clean_text"]
    slow = BertTokenizerLegacy(spec["vocab"], **kwargs) if spec.get("slow") else None
    added = [
        AddedToken(t["content"], special=t["special"], normalized=t["normalized"],
                   lstrip=t.get("lstrip", False), rstrip=t.get("rstrip", False))
        for t in spec.get("added_tokens", [])
    ]
    if added:
        fast.add_tokens(added)
    return fast, fast.backend_tokenizer, slow


def export(spec):
    """Write a tokenizer directory: only tokenizer.json, or what save_pretrained writes."""
    fast = BertTokenizer(
        spec["vocab"], do_lower_case=spec.get("do_lower_case", True),
        strip_accents=spec.get("strip_accents"),
        tokenize_chinese_chars=spec.get("tokenize_chinese_chars", True))
    if spec.get("added_tokens"):
        fast.add_tokens([AddedToken(t["content"], special=t["special"], normalized=t["normalized"])
                         for t in spec["added_tokens"]])
    os.makedirs(spec["directory"], exist_ok=True)
    if spec["layout"] == "tokenizer_json":
        fast.backend_tokenizer.save(os.path.join(spec["directory"], "tokenizer.json"))
    else:
        fast.save_pretrained(spec["directory"])


def main():
    request = json.load(sys.stdin)
    if "export" in request:
        export(request["export"])
        json.dump({"tokens": [], "slow": [], "encode": [], "batches": [], "decode": []}, sys.stdout)
        return
    fast, backend, slow = build(request["tokenizer"])
    response = {"tokens": [], "slow": [], "encode": [], "batches": [], "decode": []}
    for text in request.get("texts", []):
        encoding = backend.encode(text, add_special_tokens=False)
        response["tokens"].append({
            "ids": encoding.ids,
            "tokens": encoding.tokens,
            "offsets": [list(span) for span in encoding.offsets],
        })
        if slow is not None:
            response["slow"].append(slow.convert_tokens_to_ids(slow.tokenize(text)))
    for call in request.get("encode", []):
        try:
            result = fast(
                call["text"], call.get("pair"), max_length=call.get("max_length"),
                truncation=call.get("truncation") or False, padding=call.get("padding") or False,
                add_special_tokens=call.get("add_special_tokens", True),
                return_offsets_mapping=True, return_special_tokens_mask=True,
            )
            response["encode"].append({
                "ids": result["input_ids"],
                "type_ids": result["token_type_ids"],
                "attention_mask": result["attention_mask"],
                "special_tokens_mask": result["special_tokens_mask"],
                "offsets": [list(span) for span in result["offset_mapping"]],
                "sequence_ids": result.sequence_ids(),
            })
        except Exception as error:  # the Swift side compares failures too
            response["encode"].append({"error": str(error)})
    for batch in request.get("batches", []):
        result = fast(
            batch["texts"], batch.get("pairs"), max_length=batch.get("max_length"),
            truncation=batch.get("truncation") or False, padding=batch.get("padding") or False,
            return_offsets_mapping=True, return_special_tokens_mask=True,
        )
        response["batches"].append([
            {
                "ids": result["input_ids"][row],
                "type_ids": result["token_type_ids"][row],
                "attention_mask": result["attention_mask"][row],
                "special_tokens_mask": result["special_tokens_mask"][row],
                "offsets": [list(span) for span in result["offset_mapping"][row]],
                "sequence_ids": result.sequence_ids(row),
            }
            for row in range(len(batch["texts"]))
        ])
    for call in request.get("decode", []):
        response["decode"].append(fast.decode(call["ids"], skip_special_tokens=call["skip_special_tokens"]))
    json.dump(response, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
