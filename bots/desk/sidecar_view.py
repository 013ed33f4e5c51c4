"""The sidecar of a filed invoice (DESIGN.md "Contracts") to download from its document page:
made from what the ledger recorded at filing, so it is there even when the e-file copy has
gone on to a DMS or was moved by its caseworker."""

from __future__ import annotations

import json
from io import BytesIO

from flask import Blueprint, abort, g, send_file

from bots.desk import access
from bots.desk.actions import DOCUMENT_ID
from bots.desk.deps import context, ledger
from bots.filing.sidecar import sidecar
from bots.filing.target import Filing
from bots.pipeline.recorded import document_of, recorded_decision
from bots.pipeline.stages import filed_of
from bots.storage.states import State

bp = Blueprint("sidecar", __name__, url_prefix="/dokument")


@bp.route("/<doc_id>/begleitdatei.json")
def download(doc_id: str):
    row = ledger().get(doc_id) if DOCUMENT_ID.fullmatch(doc_id) else None
    if row is None or row.state != State.FILED or row.purged_at \
            or not access.may_open(ledger(), row, g.user):
        abort(404)
    ctx = context()
    filed = filed_of(ctx, document_of(row), *recorded_decision(row))
    data = sidecar(Filing(filed, pdf=b"", xml=None,
                          number=ctx.ledger.count_events(row.id, "filed"), at=row.filed_at))
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")
    return send_file(BytesIO(body), as_attachment=True, mimetype="application/json",
                     download_name=f"{row.id}.json")
