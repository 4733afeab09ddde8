"""How far two labellers agree on the blind sets' labels: the ceiling of match()'s figures.

`tests/data/match_second_labels.json` labels the passages of two blind sets a second time,
by a labeller who saw neither the first labels nor match()'s output. A matcher that ranked
exactly as the second labeller chose would score, on the first labels, what this prints:
so a target that the two labellers' agreement does not reach could not be met by any
matcher, and one that it reaches is a matter of the matcher.

    python benchmarks/label_agreement.py
"""

from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).parent.parent / "tests" / "data"
SECOND = "match_second_labels.json"
FIRST = ("match_real_blind4.json", "match_real_blind5.json")


def main() -> None:
    second = {case["id"]: case for case in json.loads((DATA / SECOND).read_text("utf-8"))["cases"]}
    print(f"{'set':<24} {'cases':>5} {'same specific':>14} {'accepted':>9} {'or runner-up':>13}")
    for name in FIRST:
        cases = json.loads((DATA / name).read_text("utf-8"))["cases"]
        same = accepted = either = 0
        for case in cases:
            other = second[case["id"]]
            same += other["specific"] == case["specific"]
            accepted += other["specific"] in case["accept"]
            either += case["specific"] in (other["specific"], other["runner_up"])
        total = len(cases)
        print(
            f"{name:<24} {total:>5} {same / total:>14.1%} {accepted / total:>9.1%}"
            f" {either / total:>13.1%}"
        )
    print(
        "same specific: the second labeller's most specific strategy is the first's (the"
        " ceiling of 'specific first');\naccepted: it is one the first accepts (the ceiling"
        " of 'top-1'); or runner-up: the first's is the second's choice or runner-up"
    )


if __name__ == "__main__":
    main()
