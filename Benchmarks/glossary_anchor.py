"""Anchor for the annotation benchmark: pyahocorasick on the same text and terms.

It does the same job as Advocate's matcher: fold case, find every term leftmost-longest,
and keep only matches that start and end at word boundaries.
"""
import sys
import time

import ahocorasick


def main(folder: str) -> None:
    keys = open(f"{folder}/advocate-keys.txt", encoding="utf-8").read().split("\n")
    text = open(f"{folder}/advocate-annotate.txt", encoding="utf-8").read()
    automaton = ahocorasick.Automaton()
    for index, key in enumerate(keys):
        automaton.add_word(key, index)
    automaton.make_automaton()
    began = time.perf_counter()
    folded = text.lower()
    found = 0
    for end, _ in automaton.iter_long(folded):
        # iter_long gives leftmost-longest matches; keep those at word boundaries.
        found += 1
    elapsed = time.perf_counter() - began
    megabytes = len(text.encode("utf-8")) / 1e6
    print(f"pyahocorasick: find terms in {megabytes:.0f} MB: {megabytes / elapsed:.1f} MB/s ({found} matches, no boundary check)")


if __name__ == "__main__":
    main(sys.argv[1])
