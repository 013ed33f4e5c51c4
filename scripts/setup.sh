#!/usr/bin/env bash
# Idempotent set-up on Debian (as root, or with sudo): the system packages the bot needs and
# the virtual environment .venv/ with the dependencies declared in pyproject.toml.
# Quick when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  python3 python3-venv
  tesseract-ocr tesseract-ocr-deu tesseract-ocr-eng   # OCR of scans
  poppler-utils                                        # pdftoppm/pdftotext for PDFs
  qpdf                                                 # PDF repair and inspection in tests
  fonts-dejavu-core                                    # fonts for the generated PDFs
  dovecot-imapd openssl                                # a real IMAP server for the mailbox tests
  chromium                                             # headless browser tests of the review desk (Playwright)
  postgresql                                           # the ledger on PostgreSQL (tests start their own cluster)
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing Debian packages: ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON="${PYTHON:-python3}"
stamp=".venv/.deps-$(cat pyproject.toml scripts/deps.py | sha256sum | cut -c1-16)"
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $("$PYTHON" --version)" >&2
  "$PYTHON" -m venv .venv
fi
if [ ! -f "$stamp" ]; then
  echo "setup: installing Python dependencies into .venv" >&2
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python scripts/deps.py dev > .venv/requirements.txt
  .venv/bin/python -m pip install -q -r .venv/requirements.txt
  rm -f .venv/.deps-*
  touch "$stamp"
fi
