"""Sample invoices for demos and tests, the script that makes them, and their truth."""
