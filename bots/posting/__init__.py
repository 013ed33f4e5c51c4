"""Posting proposals (Buchungsvorschläge) for the finance system: what each filed invoice would
be posted as, for a person to confirm, and the daily export."""
