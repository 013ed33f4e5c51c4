"""Rule administration: rule examples, plans before a change, reloading while watching."""
