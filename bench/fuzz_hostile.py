"""Hostile names and hostile pages (issue #14), for bench/fuzz_readers.py:

- names: files with generated names (bytes that are not UTF-8, control and bidi characters,
  names up to the file system's 255 bytes) dropped into a watched folder; every one must be
  taken (or ignored as a temporary file) and recorded as a display name without control or
  bidi characters, and the folder must end up empty;
- pages: the desk's page-image route on hostile PDFs (drawing objects nested deep, huge page
  boxes, and mutations of both); every request must answer (an image or 404) within the
  render time limit, and no renderer may be left running. The peak memory of the desk's
  process is printed (ru_maxrss; a renderer's own peak is bounded by its prlimit).
"""

from __future__ import annotations

import os
import random
import resource
import subprocess
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from bench.hostile_pdfs import huge_page, nested_forms
from bots.display_names import BIDI_CONTROLS, masked_name

_CONTROLS = [chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))] + sorted(BIDI_CONTROLS)


def _names():
    raw = st.binary(min_size=1, max_size=255)
    text = st.text(st.one_of(st.sampled_from(_CONTROLS), st.characters()), min_size=1,
                   max_size=120).map(lambda t: t.encode("utf-8", "surrogatepass")[:255])
    return st.one_of(raw, text).map(lambda b: b.replace(b"/", b"_").replace(b"\0", b"_")) \
        .filter(lambda b: b not in (b".", b".."))


def clean(shown: str) -> bool:
    """A display name as it must be: no control or bidi character, no lone surrogate."""
    return not any(unicodedata.category(c) in ("Cc", "Cs") or c in BIDI_CONTROLS
                   for c in shown)


def fuzz_names(examples: int, seed_value: int) -> Counter:
    from bots.config import FolderConfig
    from bots.intake.folder_bot import FolderBot, is_ignored
    from bots.storage.ledger import Ledger
    from bots.storage.store import Store

    counts: Counter = Counter()
    with tempfile.TemporaryDirectory(prefix="rbot-fuzz-names-") as root:
        inbox = Path(root) / "inbox"
        inbox.mkdir()
        now = [0.0]
        bot = FolderBot((FolderConfig(path=inbox, source="fuzz", settle_seconds=0, batch=None),),
                        Ledger(Path(root) / "l.sqlite3"), Store(Path(root) / "store"),
                        lambda: now[0], quarantine_root=Path(root) / "q")

        @seed(seed_value)
        @settings(max_examples=examples, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(_names())
        def property_(name: bytes):
            path = os.fsencode(inbox) + b"/" + name
            with open(path, "wb") as handle:
                handle.write(b"%PDF-1.4 " + os.urandom(16))
            bot.rescan()
            taken = bot.take_ready()
            now[0] += 1
            taken += bot.take_ready()
            if is_ignored(os.fsdecode(name)):
                os.unlink(path)
                counts["ignored"] += 1
                return
            assert len(taken) == 1, (name, taken)
            shown = taken[0].original_name
            assert clean(shown) and clean(masked_name(shown)), (name, shown)
            assert os.listdir(inbox) == [], name
            counts["taken"] += 1

        property_()
        bot.ledger.close()
    return counts


def hostile_pages(count: int, seed_value: int) -> list[bytes]:
    """`count` hostile PDFs: nested drawing objects and huge pages of several sizes, and
    byte mutations of them (bench.fuzz_readers.mutate)."""
    from bench.fuzz_readers import mutate

    rng = random.Random(seed_value)
    pages = []
    for number in range(count):
        pdf = nested_forms(rng.randint(8, 18), rng.randint(2, 6)) if number % 2 == 0 \
            else huge_page(rng.choice([100, 200, 500, 2000]))
        if number % 3 == 2:
            pdf = mutate(pdf, [("flip", rng.random(), 1, rng.randint(0, 255))])
        pages.append(pdf)
    return pages


def fuzz_pages(count: int, seed_value: int, seconds: float = 3.0) -> Counter:
    """The desk's page route on `count` hostile PDFs; each request within `seconds` + 5."""
    from bots.config import load_config
    from bots.desk.accounts import Accounts
    from bots.desk.passwords import hash_password
    from bots.desk.settings import WebSettings
    from bots.desk.webapp import create_app
    from bots.intake.register import Incoming, take
    from bots.storage.ledger import Ledger
    from bots.storage.store import Store

    counts: Counter = Counter()
    with tempfile.TemporaryDirectory(prefix="rbot-fuzz-pages-") as root:
        config = load_config(_bot_yaml(Path(root)))
        ledger, store = Ledger(config.ledger), Store(config.store)
        Accounts(ledger).save_user("fuzz", "admin", hash_password("fuzz-password-123"))
        ids = [take(Incoming(pdf, "upload", f"{n}.pdf", f"fuzz:{n}"), ledger, store).document_id
               for n, pdf in enumerate(hostile_pages(count, seed_value))]
        ledger.close()
        app = create_app(config, WebSettings(secret_key="f" * 48, secure_cookies=False,
                                             preview_seconds=seconds))
        client = app.test_client()
        _login(client)
        for doc_id in ids:
            started = time.monotonic()
            status = client.get(f"/dokument/{doc_id}/seite/1.png").status_code
            took = time.monotonic() - started
            counts[f"status:{status}"] += 1
            counts["slow"] += took > seconds * 2 + 5
            counts["max_seconds"] = max(counts["max_seconds"], round(took))
    counts["peak_mb_desk"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    counts["renderers_left"] = len(subprocess.run(
        ["pgrep", "-P", str(os.getpid()), "pdftoppm"], capture_output=True, text=True
    ).stdout.split())
    return counts


def _bot_yaml(root: Path) -> Path:
    """A bot.yaml of its own under `root`, with the shipped rules and directory."""
    shipped = Path(__file__).resolve().parent.parent / "config"
    path = root / "bot.yaml"
    path.write_text("\n".join(f"{key}: {value}" for key, value in {
        "ledger": root / "ledger.sqlite3", "store": root / "store", "efile_root": root / "efile",
        "log_file": root / "log" / "bot.jsonl", "rules": shipped / "rules.yaml",
        "caseworkers": shipped / "caseworkers.yaml", "vendors": shipped / "vendors.yaml",
    }.items()), encoding="utf-8")
    return path


def _login(client) -> None:
    import re

    page = client.get("/anmelden").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = client.post("/anmelden", data={"username": "fuzz", "password": "fuzz-password-123",
                                            "csrf_token": token})
    assert answer.status_code == 303
