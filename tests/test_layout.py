"""The project's own packages are what `import` finds, and they depend one way only."""

import ast
import importlib
from pathlib import Path

import pytest

from tests.conftest import REPO


def test_mailbox_resolves_to_the_projects_package():
    module = importlib.import_module("mailbox")
    assert Path(module.__file__).resolve() == REPO / "mailbox" / "__init__.py"


def _imported_packages(package: str) -> set[str]:
    found = set()
    for path in (REPO / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("package", ["ocr", "rules", "mailbox"])
def test_lower_packages_never_import_bots_or_each_other(package):
    others = {"bots", "ocr", "rules", "mailbox"} - {package}
    assert _imported_packages(package) & others == set()
