"""How fast the desk's search answers on a ledger of a year's size (bots.storage.search):
`--documents N` made-up documents (filed, some exceptions; fields and a read text of about
150 words each) written straight into a new ledger, then each kind of question asked
`--rounds` times; prints the median milliseconds per question and its number of hits, and
checks each answer against the same question answered in Python.

    .venv/bin/python bench/search.py [--documents 90000] [--ledger sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.pg_ledger import fresh_database, server  # noqa: E402
from bots.storage.ledger import Ledger  # noqa: E402
from bots.storage.search import Criteria, Scope, find, save_text  # noqa: E402

PROVIDERS = ("Diakonie-Sozialstation Lindenberg gGmbH", "Lebenshilfe Nordstadt gGmbH",
             "Seniorenzentrum Haus Abendrot gGmbH", "Sanitätshaus Vogt GmbH",
             "Betreuungsdienst Regenbogen UG", "Kerstin Albers Gebärdensprachdolmetschen")
CASEWORKERS = ("becker", "schneider", "wagner", "neumann", "yilmaz")
WORDS = ("Pflege", "Leistung", "Monat", "Betreuung", "Fahrtkosten", "Stunden", "Zeitraum",
         "Hilfsmittel", "Wohnen", "Eingliederungshilfe", "Aktenzeichen", "Pauschale")
QUESTIONS = {
    "Rechnungsnummer": Criteria(number="2026-0457"),
    "Rechnungssteller (ähnlich)": Criteria(provider="Diakonie"),
    "Betrag genau": Criteria(amount_from=Decimal("1234.50"), amount_to=Decimal("1234.50")),
    "Rechnungsdatum (Monat)": Criteria(issued_from="2026-03-01", issued_to="2026-03-31"),
    "Sachbearbeitung + Ausnahmen": Criteria(caseworker="wagner", states=("exception",)),
    "Text (zwei Wörter)": Criteria(text="Kurzzeitpflege Zeitraum"),
    "Nummer + Rechnungssteller": Criteria(number="2026-0457", provider="Diakonie"),
    "alles (leere Suche)": Criteria(),
}


def documents(n: int, seed: int = 7) -> list[dict]:
    rng, start = random.Random(seed), datetime(2026, 1, 1, tzinfo=UTC)
    made = []
    for i in range(n):
        issued = start + timedelta(days=rng.randrange(365))
        made.append({
            "id": hashlib.sha256(str(i).encode()).hexdigest(),
            "state": "exception" if rng.random() < 0.08 else "filed",
            "caseworker": rng.choice(CASEWORKERS),
            "received_at": (issued + timedelta(days=3, seconds=i)).isoformat(timespec="seconds"),
            "fields": {"invoice_number": f"R-2026-{i % 10000:04d}",
                       "seller_name": rng.choice(PROVIDERS),
                       "issue_date": issued.date().isoformat(),
                       "total_gross": "1234.50" if i % 997 == 0
                       else f"{rng.randrange(1000, 500000) / 100:.2f}"},
            "text": " ".join([rng.choice(WORDS) for _ in range(150)]
                             + (["Kurzzeitpflege"] if i % 50 == 0 else [])),
        })
    return made


def fill(ledger: Ledger, made: list[dict]) -> None:
    with ledger.transaction() as db:
        for doc in made:
            sha = doc["id"]
            db.execute(
                "INSERT INTO documents(sha256, id, state, source, original_name, store_path,"
                " size, received_at, updated_at, caseworker, invoice_json)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (sha, sha[:16], doc["state"], "registratur", f"{sha[:8]}.pdf", sha, 1,
                 doc["received_at"], doc["received_at"], doc["caseworker"],
                 json.dumps({"fields": doc["fields"]})))
            save_text(db, sha[:16], doc["text"])


def expected(made: list[dict], c: Criteria) -> int:
    """The number of hits of `c`, answered in Python (the provider left to the search)."""
    def hit(doc: dict) -> bool:
        f = doc["fields"]
        gross = Decimal(f["total_gross"])
        return all((
            all(part in f["invoice_number"] for part in c.number.split("-") if part),
            c.amount_from is None or gross >= c.amount_from,
            c.amount_to is None or gross <= c.amount_to,
            not c.issued_from or f["issue_date"] >= c.issued_from,
            not c.issued_to or f["issue_date"] <= c.issued_to,
            not c.caseworker or doc["caseworker"] == c.caseworker,
            not c.states or doc["state"] in c.states,
            all(word in doc["text"].split() for word in c.text.split()),
            not c.provider or c.provider in f["seller_name"],
        ))
    return sum(hit(doc) for doc in made)


def measure(ledger: Ledger, made: list[dict], rounds: int) -> list[tuple[str, float, int]]:
    everything = Scope(everything=True)
    rows = []
    for label, criteria in QUESTIONS.items():
        times, hits = [], []
        for _ in range(rounds):
            began = time.perf_counter()
            hits = find(ledger, criteria, everything)
            times.append((time.perf_counter() - began) * 1000)
        if len(hits) != expected(made, criteria):
            raise SystemExit(f"{label}: {len(hits)} hits, expected {expected(made, criteria)}")
        rows.append((label, statistics.median(times), len(hits)))
    return rows


def run(documents_n: int, ledger_spec: str, rounds: int) -> list[tuple[str, float, int]]:
    made = documents(documents_n)
    with server(ledger_spec) as url, fresh_database(url, "rbot_bench_search") as db_url, \
            tempfile.TemporaryDirectory() as folder:
        ledger = Ledger(db_url or Path(folder) / "ledger.sqlite3")
        try:
            fill(ledger, made)
            return measure(ledger, made, rounds)
        finally:
            ledger.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=20000)
    parser.add_argument("--ledger", default="sqlite")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    began = time.perf_counter()
    rows = run(args.documents, args.ledger, args.rounds)
    print(f"search on {args.documents} documents ({args.ledger}), median of {args.rounds}:")
    for label, ms, hits in rows:
        print(f"  {label:<30} {ms:8.1f} ms  {hits:6d} hits")
    print(f"(whole run {time.perf_counter() - began:.1f} s)")


if __name__ == "__main__":
    main()
