"""The pages of "Erneut entscheiden" for several exceptions: the selection from the queue
comes to a preview (where each would go now), and only the confirmation decides
(bots.desk.redecide)."""

from __future__ import annotations

from collections import Counter

from flask import Blueprint, abort, g, render_template, request

from bots.desk import access, redecide
from bots.desk.actions import DOCUMENT_ID, reloaded
from bots.desk.deps import context, ledger

bp = Blueprint("redecide", __name__, url_prefix="/erneut-entscheiden")


@bp.route("/vorschau", methods=["POST"])
def preview():
    field = "shown" if request.form.get("auswahl") == "alle" else "ids"
    doc_ids = [i for i in request.form.getlist(field) if DOCUMENT_ID.fullmatch(i)]
    if not doc_ids:
        return render_template("redecide.html", active="queue", previews=[], counts={},
                               too_many=False)
    ctx = reloaded(context())
    previews = [p for p in redecide.preview(ctx, doc_ids[:redecide.MAX_DOCUMENTS])
                if access.may_open(ledger(), p.row, g.user)]
    return render_template("redecide.html", active="queue", previews=previews,
                           counts=Counter(p.kind for p in previews),
                           too_many=len(doc_ids) > redecide.MAX_DOCUMENTS)


@bp.route("", methods=["POST"])
def confirm():
    chosen = []
    for value in request.form.getlist("chosen")[:redecide.MAX_DOCUMENTS]:
        doc_id, version, label = (value.split(" ", 2) + ["", ""])[:3]
        if not DOCUMENT_ID.fullmatch(doc_id) or not version.isdigit() or len(label) > 200:
            abort(400)
        if access.may_open_id(ledger(), doc_id, g.user):
            chosen.append((doc_id, int(version), label))
    done = redecide.redecide(context(), chosen, actor=g.user["name"])
    return render_template("redecide.html", active="queue", done=done,
                           filed=sum(d.state == "filed" for d in done))
