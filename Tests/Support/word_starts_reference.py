"""Reference word-start flags for whole-word masking, computed with transformers and jieba.

Reads one JSON string (a sentence) per line from the file named by argv[2] and writes one JSON
object per line to stdout: {"ids": [...], "starts": [...]}. argv[1] is the WordPiece vocab.txt.

A token starts a word unless it is a "##" piece or its first character lies strictly inside a word
that jieba.cut (HMM on) returns, the rule Chinese whole-word-masking BERT models use.
"""

import json
import sys

import jieba
from transformers import BertTokenizer


def main() -> None:
    tokenizer = BertTokenizer(sys.argv[1])
    jieba.setLogLevel(60)
    with open(sys.argv[2], encoding="utf-8") as sentences:
        for line in sentences:
            sentence = json.loads(line)
            inside_word = [False] * (len(sentence) + 1)
            position = 0
            for word in jieba.cut(sentence):
                for index in range(position + 1, position + len(word)):
                    inside_word[index] = True
                position += len(word)
            encoded = tokenizer(sentence, add_special_tokens=False, return_offsets_mapping=True)
            tokens = tokenizer.convert_ids_to_tokens(encoded["input_ids"])
            starts = [
                not token.startswith("##") and not inside_word[start]
                for token, (start, _end) in zip(tokens, encoded["offset_mapping"])
            ]
            print(json.dumps({"ids": encoded["input_ids"], "starts": starts}))


if __name__ == "__main__":
    main()
