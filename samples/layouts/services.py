"""What each trade bills: (description, unit, lowest price, highest price) per position."""

from __future__ import annotations

SERVICES: dict[str, tuple[tuple[str, str, float, float], ...]] = {
    "care": (
        ("Grundpflege LK 1 Kleine Morgen-/Abendtoilette", "Stück", 18.0, 32.0),
        ("Große Morgentoilette LK 2", "Stück", 28.0, 45.0),
        ("Hauswirtschaftliche Versorgung", "Std.", 24.0, 39.0),
        ("Behandlungspflege Medikamentengabe", "Stück", 6.0, 14.0),
        ("Wegepauschale", "Stück", 3.5, 7.5),
        ("Pflegeberatung nach § 37 Abs. 3 SGB XI", "Stück", 23.0, 46.0),
        ("Betreuungsleistung Entlastung", "Std.", 30.0, 42.0),
        ("Investitionskosten", "Tage", 4.0, 9.0),
    ),
    "integration": (
        ("Fachleistungsstunden Assistenz", "Std.", 48.0, 72.0),
        ("Ambulant betreutes Wohnen", "Std.", 52.0, 68.0),
        ("Tagesstruktur Werkstatt", "Tage", 38.0, 64.0),
        ("Fahrtkosten Werkstatt", "Tage", 8.0, 19.0),
        ("Freizeitassistenz", "Std.", 29.0, 44.0),
        ("Schulbegleitung", "Std.", 31.0, 49.0),
    ),
    "housing": (
        ("Unterkunft", "Tage", 18.0, 36.0),
        ("Verpflegung", "Tage", 6.0, 12.0),
        ("Pflegebedingter Aufwand", "Tage", 60.0, 110.0),
        ("Investitionskosten", "Tage", 12.0, 24.0),
        ("Ausbildungsumlage", "Tage", 2.0, 6.0),
        ("Barbetrag zur persönlichen Verfügung", "Stück", 100.0, 160.0),
    ),
    "craft": (
        ("Austausch Thermostatventil", "Stück", 35.0, 95.0),
        ("Montage Haltegriff Bad", "Stück", 40.0, 120.0),
        ("Arbeitszeit Geselle", "Std.", 48.0, 68.0),
        ("Anfahrt", "Pausch.", 25.0, 49.0),
        ("Material Kleinteile", "Pausch.", 8.0, 45.0),
        ("Umbau Dusche bodengleich", "Pausch.", 1800.0, 5200.0),
        ("Türverbreiterung rollstuhlgerecht", "Stück", 600.0, 1600.0),
    ),
    "taxi": (
        ("Krankenfahrt Wohnung - Tagespflege", "km", 1.8, 2.6),
        ("Fahrt zur Werkstatt und zurück", "Stück", 18.0, 46.0),
        ("Rollstuhlbeförderung Zuschlag", "Stück", 8.0, 15.0),
        ("Wartezeit", "Std.", 20.0, 34.0),
        ("Grundgebühr", "Stück", 3.5, 5.0),
    ),
    "therapy": (
        ("Krankengymnastik KG", "Stück", 24.0, 36.0),
        ("Manuelle Lymphdrainage 45 Min.", "Stück", 38.0, 58.0),
        ("Ergotherapie motorisch-funktionell", "Stück", 36.0, 48.0),
        ("Logopädie Einzelbehandlung 45 Min.", "Stück", 44.0, 62.0),
        ("Hausbesuch", "Stück", 12.0, 22.0),
        ("Heilpädagogische Frühförderung", "Std.", 55.0, 78.0),
    ),
    "utility": (
        ("Arbeitspreis Strom", "Stück", 40.0, 190.0),
        ("Grundpreis Strom", "Stück", 9.0, 14.0),
        ("Arbeitspreis Erdgas", "Stück", 60.0, 260.0),
        ("Grundpreis Wasser", "Stück", 6.0, 12.0),
        ("Abwasser", "Stück", 18.0, 70.0),
        ("Messstellenbetrieb", "Stück", 1.5, 4.0),
    ),
    "medical": (
        ("Rollator leicht, faltbar", "Stück", 89.0, 240.0),
        ("Toilettensitzerhöhung", "Stück", 29.0, 68.0),
        ("Kompressionsstrümpfe nach Maß", "Stück", 79.0, 160.0),
        ("Pflegebett Miete", "Tage", 1.4, 3.2),
        ("Inkontinenzmaterial", "Pausch.", 25.0, 42.0),
        ("Einlagen orthopädisch", "Stück", 58.0, 120.0),
        ("Lieferung und Einweisung", "Pausch.", 15.0, 39.0),
    ),
}
