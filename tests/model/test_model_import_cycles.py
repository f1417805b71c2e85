"""neuroviz.model has no import cycle, counting imports inside functions (they are how cycles hide)."""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import pytest

MODEL = Path(__file__).resolve().parents[2] / "neuroviz" / "model"


def _module_name(file: Path, root: Path, package: str) -> str:
    parts = list(file.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([package, *parts])


def import_graph(root: Path, package: str) -> dict[str, set[str]]:
    """Module → the modules of ``package`` it imports anywhere in its text (top level, functions, branches)."""
    files = {_module_name(file, root, package): file for file in root.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, file in files.items():
        is_package = file.name == "__init__.py"
        targets: set[str] = set()
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"), filename=str(file))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = name.split(".") if is_package else name.split(".")[:-1]
                    base = base[: len(base) - (node.level - 1)]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                for alias in node.names:  # "from pkg import module" imports the module itself
                    submodule = f"{source}.{alias.name}"
                    targets.add(submodule if submodule in files else source)
        graph[name] = {target for target in targets if target in files and target != name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle as a list of modules (first == last), or [] when there is none."""
    try:
        tuple(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as error:
        return list(error.args[1])
    return []


def test_the_model_has_no_import_cycle():
    graph = import_graph(MODEL, "neuroviz.model")
    assert "neuroviz.model.network" in graph and "neuroviz.model.keras_io" in graph
    cycle = find_cycle(graph)
    assert not cycle, "import cycle: " + " → ".join(reversed(cycle))


def test_the_model_errors_module_imports_nothing_of_neuroviz():
    assert import_graph(MODEL, "neuroviz.model")["neuroviz.model.errors"] == set()


def test_a_cycle_hidden_in_a_function_is_found(tmp_path):
    """The detector itself: network.py imports files only inside a method, as the old code did."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("from pkg import network\n")
    (package / "network.py").write_text("def load():\n    from pkg import files\n    return files\n")
    (package / "files.py").write_text("from .network import load\n")
    cycle = find_cycle(import_graph(package, "pkg"))
    assert set(cycle) == {"pkg.network", "pkg.files"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("import pkg.files\n", {"pkg.files"}),
        ("from pkg.files import save\n", {"pkg.files"}),
        ("from . import files\n", {"pkg.files"}),
        ("if True:\n    from .files import save\n", {"pkg.files"}),
    ],
)
def test_every_way_of_importing_is_an_edge(tmp_path, text, expected):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "files.py").write_text("")
    (package / "network.py").write_text(text)
    assert import_graph(package, "pkg")["pkg.network"] == expected
