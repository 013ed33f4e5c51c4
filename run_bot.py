#!/usr/bin/env python3
"""Rechnungseingangs-Bot command line. See README.md and `python run_bot.py --help`."""

import sys

from bots.commands.cli import main

if __name__ == "__main__":
    sys.exit(main())
