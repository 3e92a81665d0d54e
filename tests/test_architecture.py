"""The layers of docs/architecture.md hold: no import runs back up a layer, no import circle,
and every module of the package sits in a layer the page names.

The page's table is the one place the layers are written; this test reads it, so the page
and the tree cannot drift apart.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "src" / "liverlens"
PAGE = ROOT / "docs" / "architecture.md"
ROW = re.compile(r"^\| (\d+) [^|]+\| ([^|]+) \|", re.MULTILINE)


def layers() -> dict[str, int]:
    """Top-level module or package name -> its layer number, from the page's table."""
    found: dict[str, int] = {}
    for number, cell in ROW.findall(PAGE.read_text(encoding="utf-8")):
        for name in re.findall(r"`([\w.]+)`", cell):
            found[name] = int(number)
    return found


def modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def top(module: str) -> str:
    """``liverlens.engine.trend`` -> ``engine``; the package itself -> ``__init__``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports(path: Path, module: str, known: dict[str, Path]) -> list[tuple[str, bool]]:
    """(imported LiverLens module, at module level?) for every import that runs, in functions
    too; imports under ``if TYPE_CHECKING`` do not run and are left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, at_top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _type_checking_only(child):
                continue
            inner = at_top and not isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
            )
            if isinstance(child, ast.Import):
                found.extend((a.name, inner) for a in child.names if a.name in known)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    base = ".".join(
                        [*package.split(".")[: len(package.split(".")) - child.level + 1], base]
                    ).strip(".")
                for alias in child.names:
                    target = f"{base}.{alias.name}"
                    if target in known:
                        found.append((target, inner))
                    elif base in known:
                        found.append((base, inner))
            visit(child, inner)

    visit(tree, True)
    return found


def test_the_page_places_every_module() -> None:
    placed = layers()
    assert placed, "docs/architecture.md lost its layer table"
    tops = {top(m) for m in modules()}
    assert not tops - placed.keys(), f"modules no layer holds: {sorted(tops - placed.keys())}"
    assert not placed.keys() - tops, f"layers name what is not there: {placed.keys() - tops}"


def test_no_import_runs_back_up_a_layer() -> None:
    placed, known = layers(), modules()
    wrong = []
    for module, path in known.items():
        here = placed[top(module)]
        for target, _ in imports(path, module, known):
            if placed[top(target)] > here:
                wrong.append(
                    f"{module} (layer {here}) imports {target} (layer {placed[top(target)]})"
                )
    assert not wrong, "\n".join(wrong)


def test_no_import_circle_at_module_level() -> None:
    known = modules()
    graph = {
        m: {t for t, at_top in imports(p, m, known) if at_top and t != m} for m, p in known.items()
    }
    state: dict[str, int] = {}
    circles: list[str] = []

    def walk(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                circles.append(" -> ".join([*path[path.index(nxt) :], nxt]))
            elif nxt not in state:
                walk(nxt, [*path, nxt])
        state[node] = 2

    for m in sorted(graph):
        if m not in state:
            walk(m, [m])
    assert not circles, "\n".join(circles)


def test_the_import_scan_sees_imports() -> None:
    """The scan itself works: the engine's plan imports its findings module at its top, the
    engine's entry point imports the plan in a function, and a function-level import counts."""
    known = modules()
    plan = imports(known["liverlens.engine.plan"], "liverlens.engine.plan", known)
    assert ("liverlens.engine.findings", True) in plan
    engine = imports(known["liverlens.engine"], "liverlens.engine", known)
    assert ("liverlens.engine.plan", False) in engine
    model = imports(known["liverlens.report.model"], "liverlens.report.model", known)
    assert ("liverlens.report.render", False) in model
