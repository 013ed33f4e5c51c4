"""Fictitious sellers, people and places for the layout corpus, by trade.

A seller's name is drawn from its trade's patterns: with a legal form ("Pflegedienst
Lindenhof gGmbH") or, for sole traders and practices, without one ("Taxi Yilmaz",
"Praxis für Logopädie Sabine Krämer"). Every name is invented.
"""

from __future__ import annotations

import random

SURNAMES = (
    "Albers", "Bauer", "Becker", "Berger", "Brandt", "Busch", "Dietrich", "Engel", "Falk",
    "Fischer", "Franke", "Friedrich", "Graf", "Hahn", "Hartmann", "Heinrich", "Herrmann",
    "Hoffmann", "Horn", "Jansen", "Kaiser", "Keller", "Klein", "Koch", "Köhler", "Krämer",
    "Krause", "Kuhn", "Lange", "Lehmann", "Lorenz", "Ludwig", "Maier", "Martens", "Möller",
    "Neumann", "Otto", "Peters", "Pohl", "Richter", "Roth", "Sauer", "Schäfer", "Scholz",
    "Schröder", "Schulte", "Schwarz", "Seidel", "Sommer", "Stein", "Thomas", "Vogel", "Voigt",
    "Wagner", "Walter", "Weber", "Werner", "Winkler", "Wolf", "Yilmaz", "Zimmermann", "Özdemir",
)
FIRST_NAMES = (
    "Andrea", "Anna", "Birgit", "Claudia", "Daniel", "Elena", "Frank", "Heike", "Jan", "Jörg",
    "Julia", "Karin", "Katrin", "Lena", "Markus", "Martin", "Michael", "Monika", "Nadine",
    "Peter", "Petra", "Ralf", "Sabine", "Sandra", "Stefan", "Thomas", "Ute", "Yvonne",
)
PLACE_WORDS = (
    "Lindenhof", "Sonnenschein", "Regenbogen", "Am Park", "Abendrot", "Kastanienhof",
    "Rosengarten", "Mühlenbach", "Lerchenfeld", "Am Stadtwald", "Eichengrund", "Birkenweg",
    "Talblick", "Brückenhof", "Auenland", "Klostergarten", "Sonnenhang", "Wiesengrund",
)
CITIES = (
    ("Ahlenfeld", "59227"), ("Bergstedt", "51465"), ("Dornhagen", "41542"),
    ("Eschweide", "52249"), ("Fichtenau", "57072"), ("Grünwalde", "44135"),
    ("Hohenlinden", "48143"), ("Kirchberg", "33602"), ("Lindenberg", "59755"),
    ("Marienfeld", "33428"), ("Neuhausen", "45127"), ("Nordstadt", "59823"),
    ("Ostheim", "46045"), ("Rheinfelden", "53111"), ("Sankt Anna", "47051"),
    ("Talheim", "42103"), ("Wesselburg", "46483"), ("Zollbrück", "58095"),
)
STREETS = (
    "Hauptstraße", "Bahnhofstraße", "Am Markt", "Kirchplatz", "Lindenallee", "Mühlenweg",
    "Industriestraße", "Gartenstraße", "Schulstraße", "Am Rathaus", "Rosenweg",
    "Feldstraße", "Dorfstraße", "Parkstraße", "Wiesenweg", "Gewerbering",
)
BANKS = (
    ("Sparkasse {city}", "37050198", "COLSDE33XXX"),
    ("Volksbank {city} eG", "37160087", "GENODED1CGN"),
    ("Commerzbank", "37040044", "COBADEFFXXX"),
    ("Deutsche Bank", "37070060", "DEUTDEDKXXX"),
    ("Bank für Sozialwirtschaft", "37020500", "BFSWDE33XXX"),
    ("Evangelische Bank eG", "52060410", "GENODEF1EK1"),
    ("Postbank", "37010050", "PBNKDEFFXXX"),
    ("Stadtsparkasse {city}", "30050110", "DUSSDEDDXXX"),
    ("Raiffeisenbank {city} eG", "37069520", "GENODED1SIE"),
    ("Pax-Bank eG", "37060193", "GENODED1PAX"),
)

# Per trade: name patterns with a legal form, and without one (sole traders, practices).
_WITH_FORM = {
    "care": ("Ambulanter Pflegedienst {place} {form}", "Pflegedienst {surname} {form}",
             "Sozialstation {city} {form}", "{place} Pflege {form}",
             "Diakoniestation {city} {form}", "Caritas Pflegedienste {city} {form}"),
    "integration": ("Lebenshilfe {city} {form}", "Wohnverbund {place} {form}",
                    "{place} Werkstätten {form}", "Assistenzdienst {place} {form}",
                    "Integrationsdienst {city} {form}"),
    "housing": ("Seniorenzentrum {place} {form}", "Wohnheim {place} {form}",
                "Haus {place} {form}", "Seniorenresidenz {place} {form}",
                "Wohnstätten {city} {form}"),
    "craft": ("{surname} Haustechnik {form}", "Tischlerei {surname} {form}",
              "{surname} Bedachungen {form}", "Elektro {surname} {form}",
              "{surname} & {surname2} Sanitär {form}", "Malerbetrieb {surname} {form}"),
    "taxi": ("Funktaxi {city} {form}", "Fahrdienst {place} {form}",
             "Krankenfahrten {surname} {form}", "Taxi-Zentrale {city} {form}"),
    "therapy": ("Therapiezentrum {place} {form}", "Praxis für Ergotherapie {surname} {form}",
                "Reha-Zentrum {city} {form}", "Physio {place} {form}"),
    "utility": ("Stadtwerke {city} {form}", "Energieversorgung {city} {form}",
                "Wasserwerke {city} {form}", "Versorgungsbetriebe {city} {form}"),
    "medical": ("Sanitätshaus {surname} {form}", "Orthopädietechnik {surname} {form}",
                "Reha-Technik {place} {form}", "Hörakustik {surname} {form}",
                "Medizintechnik {city} {form}"),
}
_PLAIN = {
    "care": ("Pflegedienst {first} {surname}", "Häusliche Krankenpflege {surname}"),
    "integration": ("Assistenz {first} {surname}", "Heilpädagogische Praxis {surname}"),
    "housing": ("Wohngemeinschaft {place}", "Seniorenheim {surname}"),
    "craft": ("Malermeister {first} {surname}", "Elektro {surname}", "Sanitär {surname}",
              "Tischlerei {surname}", "Dachdeckerei {surname}"),
    "taxi": ("Taxi {surname}", "Taxiunternehmen {first} {surname}",
             "Krankenfahrten {surname}", "Fahrdienst {surname}"),
    "therapy": ("Physiotherapie {first} {surname}", "Praxis für Logopädie {first} {surname}",
                "Ergotherapie {surname}", "Krankengymnastik {surname}"),
    "utility": ("Gemeindewerke {city}",),
    "medical": ("Sanitätshaus {surname}", "Hörgeräte {surname}"),
}
FORMS = {
    "care": ("GmbH", "gGmbH", "e.V.", "gGmbH", "GmbH & Co. KG"),
    "integration": ("gGmbH", "e.V.", "gGmbH"),
    "housing": ("gGmbH", "GmbH", "e.V."),
    "craft": ("GmbH", "GmbH & Co. KG", "e.K.", "UG (haftungsbeschränkt)", "OHG"),
    "taxi": ("GmbH", "UG (haftungsbeschränkt)", "GbR"),
    "therapy": ("GmbH", "PartG mbB", "GbR"),
    "utility": ("GmbH", "AG"),
    "medical": ("GmbH", "GmbH & Co. KG", "e.K."),
}


def seller_name(trade: str, with_form: bool, city: str, rng: random.Random) -> str:
    """A fictitious seller of `trade`, with a legal form or (sole trader) without."""
    patterns = _WITH_FORM[trade] if with_form else _PLAIN[trade]
    surname, surname2 = rng.sample(SURNAMES, 2)
    return rng.choice(patterns).format(
        place=rng.choice(PLACE_WORDS), surname=surname, surname2=surname2,
        first=rng.choice(FIRST_NAMES), city=city,
        form=rng.choice(FORMS[trade]),
    )


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
