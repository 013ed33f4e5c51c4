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


def _imported_modules(folder: str) -> dict[str, set[str]]:
    """Module file -> the project modules it imports (absolute imports only: the project
    uses no relative ones)."""
    found = {}
    for path in (REPO / folder).rglob("*.py"):
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
        found[str(path.relative_to(REPO))] = names
    return found


@pytest.mark.parametrize("room", ["bots/intake", "bots/storage"])
def test_intake_and_storage_never_import_the_pipeline_or_the_desk(room):
    above = ("bots.pipeline", "bots.desk", "bots.commands", "bots.rule_admin", "bots.filing",
             "bots.wiring")
    for module, names in _imported_modules(room).items():
        assert not {n for n in names if n.startswith(above)}, module


def test_nothing_below_the_commands_imports_them():
    for room in ("bots/intake", "bots/storage", "bots/pipeline", "bots/filing", "bots/desk",
                 "bots/rule_admin", "bots/posting", "bots/returns"):
        for module, names in _imported_modules(room).items():
            assert not {n for n in names if n.startswith("bots.commands")}, module


def test_einvoice_imports_no_other_project_package():
    assert _imported_packages("einvoice") & {"bots", "ocr", "rules", "mailbox"} == set()
