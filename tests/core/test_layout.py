"""The shape the code keeps: the core never names a vendor (the registry supplies them), vendor
packages never import each other, and the store knows neither HTTP nor a vendor."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from emulator import registry

PACKAGE = Path(__file__).resolve().parents[2] / "emulator"
VENDORS = PACKAGE / "vendors"


def _modules(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


CORE = [path for path in _modules(PACKAGE) if VENDORS not in path.parents]


@pytest.mark.parametrize("path", CORE, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_the_core_names_no_vendor(path: Path) -> None:
    text = path.read_text(encoding="utf-8").lower()
    for vendor in registry.vendors():
        for word in {vendor.name, vendor.title.lower()}:
            assert word not in text, f"{path.name} names the vendor {word!r}"


@pytest.mark.parametrize("vendor", [vendor.name for vendor in registry.vendors()])
def test_vendor_packages_do_not_import_each_other(vendor: str) -> None:
    others = {f"emulator.vendors.{name}" for name in registry.names()} - {f"emulator.vendors.{vendor}"}
    for path in _modules(VENDORS / vendor):
        for module in _imports(path):
            assert not any(module == other or module.startswith(other + ".") for other in others), (
                f"{path.relative_to(PACKAGE)} imports {module}")


@pytest.mark.parametrize("path", _modules(PACKAGE / "store"), ids=lambda path: path.name)
def test_the_store_knows_no_http_and_no_vendor(path: Path) -> None:
    for module in _imports(path):
        root = module.split(".")[0]
        assert root not in {"starlette", "httpx", "uvicorn"}, f"{path.name} imports {module}"
        assert not module.startswith("emulator.vendors"), f"{path.name} imports {module}"
