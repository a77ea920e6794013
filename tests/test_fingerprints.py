import numpy as np

from newstrace.fingerprints import (EMPTY, NUM_BINS, minhash, shingle_hashes, shingle_set,
                                    similarity, word_hashes, word_table)

TEXT = ("The quick brown fox jumps over the lazy dog while the farmer sleeps under the old oak "
        "tree and the river runs quietly past the mill towards the distant sea.")


def test_word_hashes_are_case_insensitive_and_per_text() -> None:
    h, doc = word_hashes(["Alpha beta", "ALPHA gamma delta"])
    assert doc.tolist() == [0, 0, 1, 1, 1]
    assert h[0] == h[2]  # alpha == ALPHA
    assert len(set(h.tolist())) == 4


def test_shingles_do_not_cross_text_boundaries() -> None:
    one, _ = shingle_hashes(["a b c d e f"])
    two, doc = shingle_hashes(["a b c", "d e f"])  # fewer than 5 words each
    assert one.size == 2 and two.size == 0 and doc.size == 0


def test_batch_equals_single() -> None:
    texts = [TEXT, TEXT.upper(), "too short", TEXT[::-1]]
    batch, _ = minhash(texts)
    for i, t in enumerate(texts):
        single, _ = minhash([t])
        assert np.array_equal(batch[i], single[0])
    assert np.array_equal(batch[0], batch[1])  # case folded
    assert (batch[2] == EMPTY).all()  # no shingles: empty sketch


def test_sketch_is_deterministic_and_dense() -> None:
    a, _ = minhash([TEXT])
    b, _ = minhash([TEXT])
    assert a.shape == (1, NUM_BINS) and a.dtype == np.uint32
    assert np.array_equal(a, b)
    assert not (a == EMPTY).any()  # densified although the text has < 128 shingles


def test_sketch_estimates_jaccard() -> None:
    rng = np.random.default_rng(7)
    vocab = [f"w{i}" for i in range(5000)]
    base = [vocab[i] for i in rng.integers(0, 5000, 1500)]
    edited = list(base)
    for i in rng.choice(len(base), 60, replace=False):
        edited[i] = "x" + edited[i]
    a, b = " ".join(base), " ".join(edited)
    sig, _ = minhash([a, b])
    exact, _ = similarity(shingle_set(a), shingle_set(b))
    estimate = float((sig[0] == sig[1]).mean())
    assert 0.5 < exact < 0.9
    assert abs(estimate - exact) < 0.12


def test_similarity_containment() -> None:
    full = shingle_set(TEXT)
    part = shingle_set(TEXT[: len(TEXT) // 2])
    jac, cont = similarity(full, part)
    assert cont == 1.0 and jac < 0.6
    assert similarity(full, np.empty(0, np.uint64)) == (0.0, 0.0)


def _reference_words(text: str) -> list[tuple[int, bool, bool, bool]]:
    """Word hashes and flags computed the slow, obvious way, one word at a time: the vectorised
    code must give exactly these values (stored sketches depend on them)."""
    mask = 2**64 - 1
    p = 0x100000001B3

    def mix(x: int) -> int:
        x ^= x >> 30
        x = (x * 0xBF58476D1CE4E5B9) & mask
        x ^= x >> 27
        x = (x * 0x94D049BB133111EB) & mask
        return x ^ (x >> 31)

    data = text.encode("utf-8")
    is_word = [b < 128 and chr(b).isascii() and chr(b).isalnum() or b >= 128 for b in data]
    out, i, prev_end = [], 0, 0
    while i < len(data):
        if not is_word[i]:
            i += 1
            continue
        j = i
        while j < len(data) and is_word[j]:
            j += 1
        word = data[i:j].lower()
        h = sum(b * pow(p, k, 2**64) for k, b in enumerate(word)) & mask
        initial = not out or any(c in b".!?\n" for c in data[prev_end:i])
        out.append((mix((h + len(word)) & mask), data[i:i + 1].isupper(),
                    initial, data[i:i + 1].isdigit()))
        prev_end, i = j, j
    return out


def test_word_table_matches_a_word_by_word_reference() -> None:
    texts = ["Alpha beta. Gamma 12 delta!\nEpsilon", "", "  ", "Ünïcödé wörds, «quoted» and 3D",
             "no-punct here (and there) e.g. U.S. ok?", "x"]
    table = word_table(texts)
    expected = [(d, *w) for d, t in enumerate(texts) for w in _reference_words(t)]
    got = list(zip(table.doc.tolist(), table.hashes.tolist(), table.capital.tolist(),
                   table.initial.tolist(), table.numeric.tolist()))
    assert got == expected
    h, doc = word_hashes(texts)
    assert h.tolist() == table.hashes.tolist() and doc.tolist() == table.doc.tolist()
    assert word_table([]).hashes.size == 0 and word_hashes(["", " . "])[0].size == 0
