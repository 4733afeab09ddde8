"""How well match() aligns hand-written product descriptions with the strategies.

Reads tests/data/match_cases.json (written before the ranking was tuned) and prints the
top-1 and top-3 hit rates and the mean reciprocal rank, then every case that the top 3
miss. A case is found at rank k when any strategy it accepts is among the first k. It
does the same for tests/data/match_holdout.json, written after the tuning and never used
for it, which estimates how match() does on products it has not seen.

    python benchmarks/match_eval.py [--verbose]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import fusion_strategies as fs

DATA = Path(__file__).parent.parent / "tests" / "data"
SETS = (DATA / "match_cases.json", DATA / "match_holdout.json")


def first_accepted_rank(text: str, accepted: set[str]) -> int | None:
    """The 1-based rank of the first accepted strategy among every match, or None."""
    matches = fs.match(text, limit=len(fs.strategies()))
    for rank, match in enumerate(matches, start=1):
        if match.strategy.id in accepted:
            return rank
    return None


def evaluate(path: Path, *, verbose: bool) -> None:
    cases = json.loads(path.read_text(encoding="utf-8"))["cases"]
    ranks: list[int | None] = []
    for case in cases:
        accepted = set(case["accept"])
        rank = first_accepted_rank(case["text"], accepted)
        ranks.append(rank)
        if verbose or rank is None or rank > 3:
            top = fs.match(case["text"], limit=3)
            print(f"rank {rank}: {case['text'][:90]}")
            print(f"  accepts {sorted(accepted)}")
            for match in top:
                mark = "*" if match.strategy.id in accepted else " "
                print(f"  {mark} {match.score:6.2f} {match.strategy.id}  {match.terms[:6]}")
    total = len(ranks)
    top1 = sum(rank == 1 for rank in ranks) / total
    top3 = sum(rank is not None and rank <= 3 for rank in ranks) / total
    mrr = sum(1 / rank for rank in ranks if rank is not None) / total
    print(f"{path.name}, {total} cases: top-1 {top1:.1%}, top-3 {top3:.1%}, MRR {mrr:.3f}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="show every case's top 3")
    arguments = parser.parse_args()
    for path in SETS:
        evaluate(path, verbose=arguments.verbose)


if __name__ == "__main__":
    main()
