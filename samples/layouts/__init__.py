"""A layout-diverse development corpus: seeded German (and some English and French) invoices
in many layout families, with the ground truth of the 13 contract fields.

A family is what one billing program prints: its vocabulary, where it puts each value, its
fonts, date and amount formats (samples.layouts.families). Content varies per invoice
(samples.layouts.content): sellers of the family's trade, numbers, dates, positions, VAT.
The families are split once, in the code, into TUNING families (whose misses a developer may
study) and TEST families (only their accuracy is reported): bench/layouts.py.

    samples.layouts.corpus.specimens(families, per_family, seed) -> [Specimen]
"""
