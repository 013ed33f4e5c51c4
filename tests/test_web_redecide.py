""""Erneut entscheiden" for several exceptions through Flask's test client: every shown
exception at once, nothing selected, a document changed by someone else between preview and
confirmation (left alone, said so), a forged selection refused."""

from __future__ import annotations

import re

from tests.test_web_pages import client_for
from tests.test_web_support import LETTER, PLAIN_A, PLAIN_B, audit_events, csrf_of, version_of

pytest_plugins = ["tests.desk_fixtures"]


def preview(client, data: dict) -> str:
    token = csrf_of(client.get("/").get_data(as_text=True))
    response = client.post("/erneut-entscheiden/vorschau", data={"csrf_token": token, **data})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def chosen(html: str) -> list[str]:
    return re.findall(r'name="chosen" value="([^"]+)"', html)


def test_all_shown_exceptions_of_a_filter(desk):
    config, ids = desk
    client = client_for(config)
    html = client.get("/?grund=no_rule").get_data(as_text=True)
    shown = re.findall(r'name="shown" value="([0-9a-f]{16})"', html)
    assert len(shown) == 5 and ids[LETTER] not in shown
    page = preview(client, {"auswahl": "alle", "shown": shown, "ids": [ids[LETTER]]})
    assert sorted(c.split()[0] for c in chosen(page)) == sorted(shown)
    assert "5 Dokumente blieben unverändert Ausnahme" in page
    assert "Jetzt erneut entscheiden (5 Dokumente)" in page
    assert "Keine Ausnahme ausgewählt" in preview(client, {})


def test_from_the_search_results(desk):
    config, ids = desk
    client = client_for(config)
    html = client.get("/suche?zustand=ausnahme").get_data(as_text=True)
    assert sorted(re.findall(r'name="ids" value="([0-9a-f]{16})"', html)) == sorted(ids.values())
    assert "Ausgewählte Ausnahmen erneut entscheiden …" in html
    page = preview(client, {"ids": [ids[LETTER]]})
    assert [c.split()[0] for c in chosen(page)] == [ids[LETTER]]


def test_a_document_changed_since_the_preview_is_left_alone(own_desk):
    config, ids = own_desk
    client = client_for(config)
    page = preview(client, {"ids": [ids[PLAIN_A], ids[PLAIN_B]]})
    selection = chosen(page)
    document = client.get(f"/dokument/{ids[PLAIN_A]}").get_data(as_text=True)
    client.post(f"/dokument/{ids[PLAIN_A]}/erneut", data={
        "csrf_token": csrf_of(document), "version": version_of(document)})
    done = client.post("/erneut-entscheiden", data={"csrf_token": csrf_of(page),
                                                    "chosen": selection})
    html = done.get_data(as_text=True)
    assert "Nicht erneut entschieden: Das Dokument wurde inzwischen von jemand anderem " \
           "bearbeitet." in html
    assert "1 Dokument erneut entschieden, davon 0 abgelegt; 1 Dokument übergangen." in html
    events = [(e["event"], e["actor"]) for e in audit_events(config, ids[PLAIN_A])]
    assert events.count(("retry", "anna")) == 1  # the single retry, not the bulk one
    assert [e["detail"] for e in audit_events(config, ids[PLAIN_B]) if e["event"] == "retry"] \
        == [{"together_with": 1, "previewed": "unverändert (keine Regel)"}]
    forged = client.post("/erneut-entscheiden", data={"csrf_token": csrf_of(page),
                                                      "chosen": ["../etc 1 x"]})
    assert forged.status_code == 400
