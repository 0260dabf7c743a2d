"""The import graph keeps its layers: checks anyone can run after a change."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FRAMES_MODULE = ROOT / "advice" / "events" / "frames.py"


def python_files(*folders: str) -> list[Path]:
    return [
        path
        for folder in folders
        for path in sorted((ROOT / folder).rglob("*.py"))
        if "migrations" not in path.parts
    ]


def imported_modules(path: Path) -> list[str]:
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return found


@pytest.mark.parametrize("folder", ["advice", "cases", "stats", "knowledge_base", "triage", "core"])
def test_the_domain_never_imports_the_transport(folder: str) -> None:
    offenders = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in python_files(folder)
        for module in imported_modules(path)
        if module == "chat" or module.startswith("chat.")
    ]
    assert offenders == []


def test_core_imports_no_other_project_package() -> None:
    project = {"advice", "cases", "stats", "chat", "frontend", "knowledge_base", "triage"}
    offenders = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in python_files("core")
        for module in imported_modules(path)
        if module.split(".")[0] in project
    ]
    assert offenders == []


def test_services_import_nothing_inside_functions() -> None:
    offenders = []
    for path in python_files("advice/services"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                offenders.extend(
                    f"{path.relative_to(ROOT)}:{inner.lineno}"
                    for inner in ast.walk(node)
                    if isinstance(inner, ast.Import | ast.ImportFrom)
                )
    assert offenders == []


def test_frames_are_built_only_in_the_frames_module() -> None:
    literal = re.compile(r"""["']type["']\s*:\s*["']""")
    offenders = [
        str(path.relative_to(ROOT))
        for path in python_files("advice", "cases", "stats", "chat", "frontend", "knowledge_base")
        if path != FRAMES_MODULE and literal.search(path.read_text())
    ]
    assert offenders == []
