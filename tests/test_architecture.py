"""The import direction of ARCHITECTURE.md, enforced by reading every module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Each package may import only packages of a lower rank (and itself).
RANK = {
    "meeting.domain": 0,
    "meeting.settings": 1,
    "meeting.store": 2,
    "meeting.hub": 3,
    "meeting.engine": 4,
    "meeting.minutes": 5,
    "meeting.api": 6,
    "meeting.cli": 7,
    "meeting.__main__": 8,
}
FORBIDDEN_IN_DOMAIN = {
    "asyncio",
    "sqlalchemy",
    "starlette",
    "uvicorn",
    "websockets",
    "time",
    "random",
}


def _package(module: str) -> str | None:
    for name in sorted(RANK, key=len, reverse=True):
        if module == name or module.startswith(name + "."):
            return name
    return None


def _imports(path: Path, module: str) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                is_pkg = path.name == "__init__.py"
                parent = base[: len(base) - node.level + (1 if is_pkg else 0)]
                found.add(".".join(parent + ([node.module] if node.module else [])))
            elif node.module:
                found.add(node.module)
    return found


def _modules(top: str, where: Path) -> list[tuple[str, Path]]:
    out = []
    for path in sorted(where.rglob("*.py")):
        rel = path.relative_to(where.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        out.append((".".join(parts), path))
    return out


MEETING = [(m, p) for m, p in _modules("meeting", ROOT / "meeting") if m != "meeting"]


@pytest.mark.parametrize(("module", "path"), MEETING, ids=[m for m, _ in MEETING])
def test_meeting_imports_point_down(module: str, path: Path) -> None:
    own = _package(module)
    assert own is not None, f"{module} belongs to no package of ARCHITECTURE.md"
    for imported in _imports(path, module):
        if imported.startswith("meeting_client"):
            pytest.fail(f"{module} imports the client library")
        target = _package(imported)
        if target is None or target == own:
            continue
        assert RANK[target] < RANK[own], f"{module} ({own}) imports {imported} ({target})"
    if own == "meeting.domain":
        roots = {i.split(".")[0] for i in _imports(path, module)}
        assert not roots & FORBIDDEN_IN_DOMAIN, f"{module} imports {roots & FORBIDDEN_IN_DOMAIN}"


def test_the_top_package_imports_nothing_of_ours() -> None:
    init = ROOT / "meeting" / "__init__.py"
    assert not [i for i in _imports(init, "meeting") if i.startswith("meeting")]


def test_docs_store_and_client_stand_apart() -> None:
    for module, path in _modules("docs_store", ROOT / "docs_store"):
        assert not any(i.startswith("meeting") for i in _imports(path, module)), module
    client = ROOT / "clients" / "python" / "meeting_client"
    for module, path in _modules("meeting_client", client):
        bad = [i for i in _imports(path, module) if i == "meeting" or i.startswith("meeting.")]
        assert bad == [], module
