"""Time decide() on one document against 500 rules; prints microseconds per decision.

    .venv/bin/python bench/rules.py [--seconds S]

The rule set is generated: 480 provider rules at one priority (USt-IdNr. or a name pattern,
so every one of them is evaluated for the ambiguity check), 15 amount rules below them and
5 letter-range team rules below those. Three documents: one that a provider rule routes,
one that only a letter rule routes (every rule evaluated, the worst case), and, when
../shared/corpus is present, every invoice of its truth.jsonl.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from stdnum.iso7064 import mod_11_10  # noqa: E402

from rules.engine import decide  # noqa: E402
from rules.loader import load_ruleset  # noqa: E402

TODAY = date(2026, 6, 15)
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "truth.jsonl"
LETTER_RANGES = ("A-E", "F-J", "K-O", "P-T", "U-Z")


def write_config(folder: Path) -> tuple[Path, Path]:
    workers = "\n".join(f"  - {{id: cw{i:02d}, name: Person {i:02d}, team: team{i % 5}}}"
                        for i in range(50))
    teams = "\n".join(f"  - {{id: team{t}, name: Team {t}, distribution: fewest_open}}"
                      for t in range(5))
    (folder / "caseworkers.yaml").write_text(f"caseworkers:\n{workers}\nteams:\n{teams}\n")
    rules = [_provider_rule(i) for i in range(480)]
    rules += [_amount_rule(i) for i in range(15)]
    rules += [_letter_rule(i, spec) for i, spec in enumerate(LETTER_RANGES)]
    (folder / "rules.yaml").write_text("rules:\n" + "".join(rules))
    return folder / "rules.yaml", folder / "caseworkers.yaml"


def provider_vat_id(i: int) -> str:
    """A valid German VAT ID of provider i (the check digit by ISO 7064 Mod 11,10)."""
    body = f"{10000000 + i:08d}"
    return f"DE{body}{mod_11_10.calc_check_digit(body)}"


def _provider_rule(i: int) -> str:
    return (f"  - id: provider-{i:03d}\n    name: \"Träger {i:03d}\"\n    priority: 100\n"
            f"    when:\n      any:\n"
            f"        - {{field: seller_vat_id, equals: \"{provider_vat_id(i)}\"}}\n"
            f"        - {{field: seller_name, regex: \"(?i)tr(ä|ae)gerverein\\\\s+{i:03d}\\\\b\"}}\n"
            f"    route_to: cw{i % 50:02d}\n")


def _amount_rule(i: int) -> str:
    low = 100_000 + i * 10_000
    return (f"  - id: amount-{i:02d}\n    name: \"Betrag {i:02d}\"\n    priority: 50\n"
            f"    when:\n      all:\n        - {{field: kind, equals: \"scan\"}}\n"
            f"        - {{field: total_gross, min: {low}, max: {low + 9999.99}}}\n"
            f"    route_to_team: team{i % 5}\n    review_required: true\n")


def _letter_rule(i: int, spec: str) -> str:
    return (f"  - id: letters-{i}\n    name: \"Buchstaben {spec}\"\n    priority: 10\n"
            f"    when: {{field: seller_name, letters: \"{spec}\"}}\n    route_to_team: team{i}\n")


def documents() -> dict[str, list[dict]]:
    base = {"issue_date": "2026-05-02", "currency": "EUR", "total_gross": "1190.00",
            "kind": "pdf-text", "source": "folder"}
    docs = {
        "provider rule 250 routes": [{**base, "seller_vat_id": provider_vat_id(250),
                                      "seller_name": "Trägerverein 250 e.V."}],
        "only a letter rule routes (all 500 evaluated)": [
            {**base, "seller_vat_id": "DE999999999", "seller_name": "Von der Heydt GmbH"}],
    }
    if CORPUS.is_file():
        lines = CORPUS.read_text(encoding="utf-8").splitlines()
        docs[f"corpus truth.jsonl ({len(lines)} invoices)"] = [
            {**json.loads(line)["fields"], "kind": "pdf-text"} for line in lines]
    return docs


def time_per_decision(ruleset, fields_list: list[dict], seconds: float) -> float:
    """Microseconds per decision: for each document the best CPU time of many single
    decisions (other work on the machine slows some down; the best shows the engine's own
    cost), averaged over the documents."""
    best = [float("inf")] * len(fields_list)
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        for index, fields in enumerate(fields_list):
            start = time.process_time()
            decide(ruleset, fields, today=TODAY, open_items={})
            best[index] = min(best[index], time.process_time() - start)
    return sum(best) / len(best) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="time spent per document set")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rules_path, caseworkers_path = write_config(Path(tmp))
        start = time.perf_counter()
        ruleset = load_ruleset(rules_path, caseworkers_path)
        load_ms = (time.perf_counter() - start) * 1000
    print(f"loaded {len(ruleset.rules)} rules in {load_ms:.0f} ms (validation included)")
    for label, fields_list in documents().items():
        micros = time_per_decision(ruleset, fields_list, args.seconds)
        outcome = decide(ruleset, fields_list[0], today=TODAY).outcome
        print(f"{micros:8.1f} µs per decision  {label}  [{outcome}]")


if __name__ == "__main__":
    main()
