"""The search page through Flask's test client: results in pages, newest first, the pages'
links keeping the criteria; a page number out of range is the first page."""

from __future__ import annotations

import re

from bots.desk import search_view
from tests.test_web_pages import client_for, queue_order

pytest_plugins = ["tests.desk_fixtures"]


def test_results_come_in_pages_newest_first(desk, monkeypatch):
    config, ids = desk
    monkeypatch.setattr(search_view, "PAGE_SIZE", 4)
    client = client_for(config, "otto")
    first = client.get("/suche?zustand=ausnahme").get_data(as_text=True)
    assert "6 Treffer, angezeigt 1 bis 4 (Seite 1 von 2)" in first
    following = re.search(r'<a href="(/suche\?[^"]+)">Nächste Seite</a>', first).group(1)
    assert "zustand=ausnahme" in following and "seite=2" in following
    second = client.get(following.replace("&amp;", "&")).get_data(as_text=True)
    assert "angezeigt 5 bis 6 (Seite 2 von 2)" in second and "Nächste Seite" not in second
    shown = queue_order(first) + queue_order(second)
    assert sorted(shown) == sorted(ids.values())
    assert shown == sorted(shown, key=lambda d: list(ids.values()).index(d), reverse=True)
    assert queue_order(client.get("/suche?seite=x").get_data(as_text=True)) == queue_order(first)
