# Convenience targets; the README's two commands work without make.
.PHONY: setup demo test lint bench clean-var

setup:
	bash scripts/setup.sh

demo:
	bash scripts/demo.sh

test:
	bash scripts/test.sh

lint: setup
	.venv/bin/ruff check .

bench: setup
	.venv/bin/python bench/accuracy.py

clean-var:
	rm -rf var/
