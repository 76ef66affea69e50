"""The dependency rule of ARCHITECTURE.md, checked on the source tree."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "alternance"
DOMAINS = sorted(p.name for p in ROOT.iterdir() if p.is_dir() and (p / "apps.py").exists() and p.name != "web")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_domain_list_is_not_empty():
    assert "reference" in DOMAINS and "offers" in DOMAINS


@pytest.mark.parametrize("domain", DOMAINS)
def test_domain_apps_never_import_delivery_layers(domain):
    offenders = []
    for path in (ROOT / domain).rglob("*.py"):
        for module in imported_modules(path):
            if module.startswith(("alternance.web", "alternance.api", "config")):
                offenders.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offenders == []


def test_core_imports_nothing_of_the_project():
    for path in (ROOT / "core").rglob("*.py"):
        project = [m for m in imported_modules(path) if m.startswith("alternance.")]
        assert [m for m in project if not m.startswith("alternance.core")] == []


@pytest.mark.parametrize("layer,other", [("web", "alternance.api"), ("api", "alternance.web")])
def test_delivery_layers_do_not_import_each_other(layer, other):
    for path in (ROOT / layer).rglob("*.py"):
        assert not [m for m in imported_modules(path) if m.startswith(other)], path
