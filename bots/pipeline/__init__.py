"""The pipeline: the recipe (process), its stages, checks, vendors, reasons, the runner."""
