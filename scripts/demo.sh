#!/usr/bin/env bash
# Set up, then run the bot's main job once on the shipped defaults and samples:
# every file of samples/invoices is read, decided and filed into var/efile/<caseworker>/,
# or becomes an exception; a table shows where each went.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python run_bot.py run --once "$@"
