"""Fuzz the readers: mutated PDFs, XML files and images (hypothesis) through ocr.read and
ocr.extract. Every input must be read or refused with a ReadError — no other exception, no
hang. Then hostile file names through the folder bot and hostile PDFs through the desk's page
route (bench/fuzz_hostile.py). Prints the counts.

    .venv/bin/python bench/fuzz_readers.py [--examples 10000] [--jobs 2] [--seed 1]
                                           [--names 2000] [--pages 40]

The test suite runs a short version (tests/test_fuzz_readers.py).
"""

from __future__ import annotations

import argparse
import io
import json
import signal
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

from ocr.extract import extract  # noqa: E402
from ocr.model import ReadError  # noqa: E402
from ocr.read import read_document  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
HANG_SECONDS = 60


def _image(fmt: str) -> bytes:
    image = Image.new("L", (360, 120), 255)
    draw = ImageDraw.Draw(image)
    draw.text((10, 10), "Rechnung Nr. RE-4711\nDatum 01.03.2026\nGesamtbetrag 119,00 EUR", fill=0)
    out = io.BytesIO()
    image.save(out, format=fmt, dpi=(300, 300))
    return out.getvalue()


def seeds() -> dict[str, bytes]:
    invoices = REPO / "samples" / "invoices"
    found = {p.name: p.read_bytes() for p in sorted(invoices.iterdir())
             if p.suffix in (".xml", ".pdf") and p.stat().st_size < 120_000 and p.stat().st_size}
    found |= {f"tiny.{fmt.lower()}": _image(fmt) for fmt in ("PNG", "JPEG", "TIFF")}
    return found


def mutations(max_ops: int = 6):
    """A list of (operation, position 0..1, length, byte value) steps."""
    step = st.tuples(st.sampled_from(["flip", "delete", "insert", "duplicate", "truncate",
                                      "overwrite"]),
                     st.floats(0, 1), st.integers(1, 4096), st.integers(0, 255))
    return st.lists(step, min_size=1, max_size=max_ops)


def mutate(data: bytes, steps) -> bytes:
    buf = bytearray(data)
    for op, where, length, value in steps:
        pos = int(where * max(len(buf) - 1, 0))
        if op == "flip" and buf:
            buf[pos] ^= 1 << (value % 8)
        elif op == "delete":
            del buf[pos:pos + length]
        elif op == "insert":
            buf[pos:pos] = bytes([value]) * min(length, 64)
        elif op == "duplicate":
            buf[pos:pos] = buf[pos:pos + length]
        elif op == "truncate":
            del buf[pos:]
        elif op == "overwrite":
            buf[pos:pos + min(length, 16)] = bytes([value]) * min(length, 16)
    return bytes(buf)


class Hang(Exception):
    pass


def _alarm(*_):
    raise Hang()


def classify(data: bytes) -> str:
    """'read:<kind>', 'refused:<code>', 'crash:<Type>' or 'hang'."""
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(HANG_SECONDS)
    try:
        reading = read_document(data, lang="deu+eng", dpi=150)
        extract(reading)
        return f"read:{reading.kind}"
    except ReadError as exc:
        return f"refused:{exc.code}"
    except Hang:
        return "hang"
    except Exception as exc:  # noqa: BLE001 - a crash is what we are looking for
        return f"crash:{type(exc).__name__}"
    finally:
        signal.alarm(0)


def fuzz(examples: int, seed_value: int) -> Counter:
    counts: Counter = Counter()
    corpus = seeds()
    names = sorted(corpus)

    @seed(seed_value)
    @settings(max_examples=examples, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(names), mutations())
    def property_(name, steps):
        outcome = classify(mutate(corpus[name], steps))
        counts[outcome] += 1
        counts[f"seed:{Path(name).suffix}"] += 1
        assert not outcome.startswith(("crash", "hang")), (name, steps, outcome)

    property_()
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--names", type=int, default=2000, help="hostile file names")
    parser.add_argument("--pages", type=int, default=40, help="hostile PDFs for the page route")
    args = parser.parse_args()
    started = time.monotonic()
    share = -(-args.examples // args.jobs)
    with ProcessPoolExecutor(args.jobs) as pool:
        parts = pool.map(fuzz, [share] * args.jobs, [args.seed + i for i in range(args.jobs)])
        total = sum(parts, Counter())
    inputs = sum(n for k, n in total.items() if not k.startswith("seed:"))
    print(json.dumps({"inputs": inputs, "seconds": round(time.monotonic() - started),
                      "outcomes": dict(sorted(total.items()))}, indent=1))
    bad = sum(n for k, n in total.items() if k.startswith(("crash", "hang")))
    print("OK: every input read or refused with a reason" if bad == 0 else f"FAILED: {bad}")
    return max(0 if bad == 0 else 1, _hostile(args))


def _hostile(args) -> int:
    """Names and pages (bench/fuzz_hostile.py); 1 when any failed."""
    from bench.fuzz_hostile import fuzz_names, fuzz_pages

    started = time.monotonic()
    names = fuzz_names(args.names, args.seed)  # raises on a name not taken or shown raw
    print(json.dumps({"names": dict(names), "seconds": round(time.monotonic() - started)}))
    started = time.monotonic()
    pages = fuzz_pages(args.pages, args.seed, seconds=20.0)
    print(json.dumps({"pages": dict(pages), "seconds": round(time.monotonic() - started)}))
    ok = pages["slow"] == 0 and pages["renderers_left"] == 0
    print("OK: every name taken and shown clean, every page answered in time" if ok
          else "FAILED: pages")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
