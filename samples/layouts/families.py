"""The fixed split of the layout families: TUNING (misses may be studied) and TEST (only
scored). A family never moves from one to the other."""

from __future__ import annotations

from samples.layouts.style import Family
from samples.layouts.testing_families import TEST
from samples.layouts.tuning_families import TUNING

FAMILIES: dict[str, tuple[Family, ...]] = {"tuning": TUNING, "test": TEST}
