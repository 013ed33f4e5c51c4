"""Filing: the e-file targets."""
