"""The export of posting proposals for the finance system: each run takes the proposals not
yet exported as one batch, "buchungsvorschlaege-<day>-<n>", written as CSV (German headers,
German numbers and dates, ';', UTF-8 with BOM) with a JSON Lines twin (ISO dates, amounts
with a dot) and, when bot.yaml names one, a file from an XML template.

Exactly once: the batch is recorded in the ledger before its files are written, and its
files are handed over like a DMS's (bots.filing.handover: staged, then renamed into the
export folder), so a restart completes a batch and never writes one twice, even after the
finance system has taken the files away.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from bots.faults import fault_point
from bots.filing.file_template import FileTemplate
from bots.filing.handover import forget, hand_over, sweep
from bots.filing.index_values import made_up_filed
from bots.handover_config import PostingConfig
from bots.posting.proposal import proposal_values
from bots.posting.table import csv_bytes
from bots.storage.ledger import Ledger
from bots.storage.proposals import Proposals

PREFIX = "buchungsvorschlaege"
STAGING = ".rbot-uebergabe"


def export_proposals(ledger: Ledger, settings: PostingConfig, day: date,
                     template: FileTemplate | None = None) -> list[Path]:
    """Complete batches a crash left unwritten, then export what is new; the files written."""
    proposals = Proposals(ledger)
    unwritten = proposals.unwritten()
    sweep(settings.export_dir / STAGING, lambda key: key not in unwritten)
    written = []
    for batch in unwritten:
        written += _write(proposals, batch, settings.export_dir, template)
    batch = proposals.mark_batch(day, PREFIX)
    if batch is not None:
        fault_point("proposals_batch_marked")
        written += _write(proposals, batch, settings.export_dir, template)
    return written


def export_template(settings: PostingConfig) -> FileTemplate | None:
    """The XML template bot.yaml names (tried on two made-up proposals), or None;
    TemplateProblem with file and line when it cannot be used."""
    if settings.xml_template is None:
        return None
    rows = [proposal_values(f.document, f.invoice, f.routing, f.creditor_number, settings)
            for f in made_up_filed()]
    return FileTemplate(settings.xml_template, trials=({"batch": f"{PREFIX}-2026-11-03-1",
                                                        "proposals": rows},))


def _write(proposals: Proposals, batch: str, folder: Path,
           template: FileTemplate | None) -> list[Path]:
    rows = [row.proposal for row in proposals.in_batch(batch)]
    files = [(f"{batch}.csv", csv_bytes(rows)), (f"{batch}.jsonl", jsonl_bytes(rows))]
    if template is not None:
        files.append((f"{batch}{template.extension}",
                      template.render({"batch": batch, "proposals": rows})))
    staging = folder / STAGING
    hand_over(staging, folder, batch, files)
    proposals.written(batch)
    forget(staging, batch)
    return [folder / name for name, _ in files]


def jsonl_bytes(rows: list[dict]) -> bytes:
    return "".join(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n"
                   for row in rows).encode("utf-8")
