"""Intake: the folder and mailbox bots, batch scans split at intake, registering originals."""
