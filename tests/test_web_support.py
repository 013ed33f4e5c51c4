"""Shared helpers for the review desk tests: exception fixtures made by the real pipeline from
corpus e-invoices, users, a served desk on a free local port, Chromium and axe-core.

No tests here (pytest collects the module and finds none)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import expect

from bots.desk.accounts import Accounts
from bots.desk.passwords import hash_password
from bots.pipeline.runner import run_once
from bots.storage.ledger import Ledger
from bots.wiring import folder_bot_for, open_config, open_context
from tests.conftest import CORPUS, REPO, write_bot_config

PASSWORD = "Prüfplatz-Test-2026"
WIDE = {"width": 1280, "height": 900}  # the browser tests' window
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# Level A and AA success criteria of WCAG 2.0 and 2.1, as axe-core tags them.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The README's screenshots are written where RBOT_SCREENSHOTS says (docs/screenshots to renew
# them); without it into the test's temporary folder, so a test run leaves the tree unchanged.
SCREENSHOTS_ENV = "RBOT_SCREENSHOTS"


# XRechnung CII specimens of the shared corpus; no shipped rule routes them (no_rule). The
# two "comprehensive" ones carry the same seller and invoice number (a duplicate pair).
PLAIN_A = "kosit__01.01a-INVOICE_uncefact.xml"
PLAIN_B = "kosit__01.02a-INVOICE_uncefact.xml"
TWIN_1 = "kosit__01.01_comprehensive_test_uncefact.xml"
TWIN_2 = "kosit__01.02_comprehensive_test_uncefact.xml"
# A ZUGFeRD 1.0 PDF with a designed page (no shipped rule routes it either).
ZUGFERD = "pdf/zfc-v1__ZUGFeRD_1p0_BASIC_Einfach.pdf"
LETTER = "anschreiben.txt"  # a letter that is no invoice (unsupported)


def file_name(name: str) -> str:
    """A corpus name as the ledger knows the file: without its folder."""
    return name.rsplit("/", 1)[-1]


def corpus_einvoices(*names: str) -> list[Path]:
    """Corpus files by name: bare names in xml/, others relative to the corpus."""
    files = [CORPUS / (name if "/" in name else f"xml/{name}") for name in names]
    if not all(f.is_file() for f in files):
        pytest.skip("the e-invoice corpus (../shared/corpus) is not available")
    return files


def directory_with_becker_absent(root: Path) -> Path:
    """The shipped caseworker directory, with Anna Becker absent from yesterday for ten days
    (Thomas Hoffmann is her deputy)."""
    data = yaml.safe_load((REPO / "config" / "caseworkers.yaml").read_text(encoding="utf-8"))
    today = date.today()
    for person in data["caseworkers"]:
        if person["id"] == "becker":
            person["absences"] = [{"from": (today - timedelta(days=1)).isoformat(),
                                   "to": (today + timedelta(days=10)).isoformat()}]
    path = root / "config" / "caseworkers.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def build_exceptions(root: Path, files: list[Path], *, extra: dict | None = None) -> Path:
    """A bot configuration under `root` (Anna Becker absent) whose ledger holds `files` after
    a real run of the pipeline, each an exception; returns the bot.yaml."""
    config_path = write_bot_config(root, extra={
        "caseworkers": str(directory_with_becker_absent(root)), **(extra or {})})
    for file in files:
        shutil.copy(file, root / "inbox" / file.name)
    ctx = open_context(open_config(config_path))
    try:
        outcomes = run_once(ctx, folder_bot_for(ctx))
    finally:
        ctx.ledger.close()
    assert [o.outcome for o in outcomes] == ["exception"] * len(files)
    return config_path


def add_user(config_path: Path, name: str, role: str) -> None:
    ledger = Ledger(open_config(config_path).ledger)
    Accounts(ledger).save_user(name, role, hash_password(PASSWORD))
    ledger.close()


def ids_by_file(config_path: Path) -> dict[str, str]:
    """File name -> document id of everything in the ledger."""
    ledger = Ledger(open_config(config_path).ledger)
    try:
        return {row.original_name: row.id for row in ledger.all_documents()}
    finally:
        ledger.close()


def efile_copies(config_path: Path, doc_id: str) -> list[Path]:
    """Every filed PDF of this document, in any queue (exactly once means one)."""
    return sorted(open_config(config_path).efile_root.glob(f"*/{doc_id}.pdf"))


def audit_events(config_path: Path, doc_id: str) -> list[dict]:
    ledger = Ledger(open_config(config_path).ledger)
    try:
        return ledger.audit_rows(doc_id)
    finally:
        ledger.close()


# -- the Flask test client --------------------------------------------------------------------

def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def login(client, name: str, password: str = PASSWORD):
    token = csrf_of(client.get("/anmelden").get_data(as_text=True))
    return client.post("/anmelden", data={"username": name, "password": password,
                                          "csrf_token": token})


def version_of(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


# -- a served desk and a browser ----------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served_desk(config_path: Path):
    """`run_bot.py serve` on a free port of 127.0.0.1; yields the base URL."""
    port = free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1", RECHNUNGSBOT_WEB_SECRET="test-secret-" * 4)
    process = subprocess.Popen(
        [sys.executable, str(REPO / "run_bot.py"), "--config", str(config_path), "serve",
         "--host", "127.0.0.1", "--port", str(port)],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for_port(port: int, process: subprocess.Popen, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"serve exited early:\n{process.stdout.read()}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("serve did not start listening")


def launch_chromium(playwright):
    assert CHROMIUM.exists(), "Debian's chromium is missing: run scripts/setup.sh"
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def sign_in(page, base: str, user: str = "anna") -> None:
    """Sign in at the desk in the browser; the queue opens."""
    page.goto(f"{base}/")
    page.get_by_label("Benutzername").fill(user)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Warteschlange: offene Ausnahmen")


def axe_violations(page) -> list[dict]:
    """axe-core (bundled with the axe-playwright-python package) on the current page, WCAG
    2.1 A and AA rules; returns the violations with the nodes they were found on."""
    page.evaluate(AXE_SCRIPT)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})", WCAG_21_AA)
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]]} for v in result["violations"]]
