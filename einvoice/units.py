"""Units of measure (BT-130) as a German reader writes them: the UN/ECE Recommendation 20
and 21 codes XRechnung invoices commonly use ('HUR' -> 'Std.', 'KMT' -> 'km'). A code not
listed is shown as it is."""

from __future__ import annotations

from decimal import Decimal

_UNITS = {
    # counts and packages
    "C62": "Stk.", "H87": "Stk.", "EA": "Stk.", "NAR": "Stk.", "XPP": "Stk.", "PR": "Paar",
    "DZN": "Dutzend", "SET": "Satz", "XBX": "Karton", "XPK": "Packung", "XPA": "Packung",
    "XBO": "Flasche", "XRO": "Rolle", "XTU": "Tube", "XSA": "Sack", "LS": "pauschal",
    "P1": "%", "E48": "Leistungseinheit", "ZZ": "Einheit",
    # time
    "SEC": "Sek.", "MIN": "Min.", "HUR": "Std.", "DAY": "Tag", "WEE": "Woche",
    "MON": "Monat", "QAN": "Quartal", "SAN": "Halbjahr", "ANN": "Jahr",
    # length, area, volume
    "MMT": "mm", "CMT": "cm", "DMT": "dm", "MTR": "m", "KMT": "km", "MTK": "m²", "HAR": "ha",
    "MTQ": "m³", "MLT": "ml", "CLT": "cl", "LTR": "l", "HLT": "hl",
    # mass, energy, power
    "GRM": "g", "KGM": "kg", "TNE": "t", "KWH": "kWh", "MWH": "MWh", "WTT": "W", "KWT": "kW",
}


_PLURALS = {
    "Tag": "Tage", "Woche": "Wochen", "Monat": "Monate", "Quartal": "Quartale",
    "Halbjahr": "Halbjahre", "Jahr": "Jahre", "Satz": "Sätze", "Karton": "Kartons",
    "Packung": "Packungen", "Flasche": "Flaschen", "Rolle": "Rollen", "Tube": "Tuben",
    "Sack": "Säcke", "Leistungseinheit": "Leistungseinheiten", "Einheit": "Einheiten",
}


def unit_name(code: str | None, quantity: Decimal | None = None) -> str:
    """'HUR' -> 'Std.', 'DAY' -> 'Tag' or, for a quantity other than one, 'Tage'; '' for
    none; an unknown code as given."""
    if not code:
        return ""
    name = _UNITS.get(code.strip().upper(), code)
    return _PLURALS.get(name, name) if quantity is not None and quantity != 1 else name
