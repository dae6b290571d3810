"""`make run` installs only the main dependencies: every third-party package the
product's code imports must be one of them, or installed by one of them."""

import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ("cms", "core", "dossiers", "forms_builder")


def top_level_imports() -> dict[str, str]:
    """Each imported top-level module of the product's code, with a file importing it."""
    found = {}
    for package in PRODUCT:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return found


def requirement_name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[(]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def closure(names: set[str]) -> set[str]:
    """The distributions ``names`` install, with what they require (no extras)."""
    seen, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        todo.extend(requirement_name(r) for r in requires if "extra ==" not in r)
    return seen


def test_every_third_party_import_comes_with_a_main_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    installed = closure({requirement_name(r) for r in project["dependencies"]})
    providers = metadata.packages_distributions()
    missing = {}
    for module, where in top_level_imports().items():
        if module in sys.stdlib_module_names or module in PRODUCT or module == "tests":
            continue
        distributions = {d.lower().replace("_", "-") for d in providers.get(module, [])}
        assert distributions, f"{module} (imported in {where}) is not installed at all"
        if not distributions & installed:
            missing[module] = where
    assert missing == {}, f"imported, but only a test dependency installs them: {missing}"
