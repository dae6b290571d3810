"""Architecture rules of the product code (issue #12), checked by reading the source with ``ast``.

The product code is the apps in :data:`APPS` (``core``, ``cms``, ``forms_builder``,
``dossiers``, ``theme``); migrations are never product code here. Nothing is imported and
no database is used: every rule parses files.

The rules:

1. ``forms_builder`` never imports ``dossiers``: no import statement anywhere in a file
   (top level, inside a function, even under ``if TYPE_CHECKING:``), and no
   ``importlib.import_module("dossiers...")`` / ``__import__("dossiers...")``. The wizard
   hands a finished submission to a handler that ``dossiers`` registers at start-up.
2. ``core`` (platform code) never imports ``cms``, ``forms_builder`` or ``dossiers``, in
   the same sense.
3. Only ``dossiers/admin/`` knows wagtail-modeladmin URL names
   (``<app>_<model>_modeladmin_<action>``, e.g. ``dossiers_dossier_modeladmin_inspect``):
   no other product module has a string literal containing ``_modeladmin_`` (docstrings
   do not count, f-strings do), and no product template (``*.html``, ``*.txt`` under a
   ``templates/`` directory) contains it, except the templates of the admin's own views,
   ``templates/dossiers/admin/``. ``dossiers/wagtail_hooks.py`` needs no exemption: it
   registers the admin with ``modeladmin_register(...)`` and names no URL.
4. No file-level import cycle in product code. The graph has one node per module (a
   package is its ``__init__.py``) and an edge for every import of another product
   module anywhere in the file, except under ``if TYPE_CHECKING:`` (those never run).
   Relative imports are resolved. ``from pkg import name`` is an edge to ``pkg.name``
   when that is a module, otherwise to ``pkg``; ``import a.b.c`` is an edge to
   ``a.b.c`` only, not to the packages above it. So a module inside a package that
   re-exports its submodules (``dossiers/models/__init__.py``) may import a sibling
   (``from .team import Team``, ``from dossiers.models import team``) without a
   cycle, but ``from dossiers.models import Team`` from inside ``dossiers/models/`` is a
   real cycle with the package. Each strongly connected component of two or more
   modules is reported, with one example cycle and the imports inside it.
5. A product module longer than :data:`MAX_LINES` (400) lines says why near its top: its
   module docstring or one of its first :data:`HEADER_LINES` (15) lines contains the
   exact phrase of :data:`LONG_MODULE_MARKER` followed by the reason, e.g.::

       # This module is longer than 400 lines because it is one table of demo content.

The helpers (module discovery, import extraction, graph, strongly connected components)
are small functions taking a root directory, so the tests at the bottom run them on
synthetic packages under ``tmp_path`` to show the checker finds what it should.
"""

from __future__ import annotations

import ast
import re
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("core", "cms", "forms_builder", "dossiers", "theme")

MAX_LINES = 400
HEADER_LINES = 15
LONG_MODULE_MARKER = "This module is longer than 400 lines because"

MODELADMIN_URL_PART = "_modeladmin_"
#: Where modeladmin URL names may appear (paths relative to the root, with "/").
MODELADMIN_ALLOWED_PY = ("dossiers/admin/",)
#: Templates of the admin's own views (any app's ``templates/`` directory).
MODELADMIN_ALLOWED_TEMPLATES = ("templates/dossiers/admin/",)
TEMPLATE_SUFFIXES = (".html", ".txt")


# --- reading the tree -------------------------------------------------------------------


@dataclass(frozen=True)
class ImportRef:
    """One import in a file, with relative imports already made absolute.

    ``module`` is the module named after ``import`` or ``from``; ``names`` the names
    after ``from ... import`` (empty for ``import a.b``); ``type_checking`` is true under
    ``if TYPE_CHECKING:``.
    """

    module: str
    names: tuple[str, ...]
    line: int
    type_checking: bool


def python_files(root: Path, apps: Iterable[str]) -> Iterator[Path]:
    """Every ``.py`` file of the apps under ``root``, migrations left out, in order."""
    for app in apps:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" not in path.relative_to(root).parts:
                yield path


def template_files(root: Path, apps: Iterable[str]) -> Iterator[Path]:
    """Every template (``*.html``, ``*.txt`` under a ``templates/`` directory) of the apps."""
    for app in apps:
        for path in sorted((root / app).rglob("*")):
            parts = path.relative_to(root).parts
            if path.suffix in TEMPLATE_SUFFIXES and "templates" in parts and path.is_file():
                yield path


def module_name(path: Path, root: Path) -> str:
    """The dotted name of the module in ``path``; a package's ``__init__.py`` is the package."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def discover_modules(root: Path, apps: Iterable[str]) -> dict[str, Path]:
    """Dotted module name -> file, for every product module under ``root``."""
    return {module_name(path, root): path for path in python_files(root, apps)}


def resolve_relative(current: str, is_package: bool, level: int, module: str | None) -> str | None:
    """The absolute name of ``from <level dots><module> import ...`` written in ``current``.

    ``is_package`` is true when ``current`` is a package's ``__init__.py`` (its dots count
    from the package itself). ``None`` when the import climbs above the top package.
    """
    if level == 0:
        return module
    package = current.split(".") if is_package else current.split(".")[:-1]
    if level - 1 > len(package) - 1:
        return None
    package = package[: len(package) - (level - 1)]
    return ".".join([*package, module] if module else package)


def _is_type_checking(test: ast.expr) -> bool:
    """Whether an ``if`` tests ``TYPE_CHECKING`` or ``typing.TYPE_CHECKING``."""
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _dynamic_import(node: ast.Call) -> str | None:
    """The module of ``import_module("x")`` / ``importlib.import_module("x")`` /
    ``__import__("x")`` with a literal absolute name, else ``None``."""
    func = node.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    if name not in ("import_module", "__import__") or not node.args:
        return None
    first = node.args[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        if first.value and not first.value.startswith("."):
            return first.value
    return None


def extract_imports(path: Path, root: Path) -> list[ImportRef]:
    """Every import in the file at ``path`` (anywhere: top level, functions, classes,
    ``if TYPE_CHECKING:`` blocks, which are flagged), relative imports made absolute."""
    current = module_name(path, root)
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[ImportRef] = []

    def visit(node: ast.AST, type_checking: bool) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.body:
                visit(child, True)
            for child in node.orelse:
                visit(child, type_checking)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append(ImportRef(alias.name, (), node.lineno, type_checking))
        elif isinstance(node, ast.ImportFrom):
            module = resolve_relative(current, is_package, node.level, node.module)
            if module:
                names = tuple(alias.name for alias in node.names)
                found.append(ImportRef(module, names, node.lineno, type_checking))
        elif isinstance(node, ast.Call) and (module := _dynamic_import(node)):
            found.append(ImportRef(module, (), node.lineno, type_checking))
        for child in ast.iter_child_nodes(node):
            visit(child, type_checking)

    visit(tree, False)
    return found


def import_targets(ref: ImportRef, modules: Mapping[str, Path] | Iterable[str]) -> set[str]:
    """The product modules that ``ref`` imports, as edges of the graph (see rule 4)."""
    known = set(modules)

    def deepest_known(name: str) -> str | None:
        parts = name.split(".")
        for end in range(len(parts), 0, -1):
            if ".".join(parts[:end]) in known:
                return ".".join(parts[:end])
        return None

    if not ref.names:
        target = deepest_known(ref.module)
        return {target} if target else set()
    targets = set()
    for name in ref.names:
        if f"{ref.module}.{name}" in known:
            targets.add(f"{ref.module}.{name}")
        elif target := deepest_known(ref.module):
            targets.add(target)
    return targets


def unresolved_imports(root: Path, apps: Iterable[str]) -> list[str]:
    """``path:line imports module`` for every import of a module of the apps that has no
    file (``from pkg import name`` needs ``pkg``; ``import a.b`` needs ``a.b``): a missing
    module fails when the import runs, a package without ``__init__.py`` is a namespace
    package by accident, and the graph would count either as an import of the package."""
    apps = list(apps)
    modules = discover_modules(root, apps)
    found = []
    for path in python_files(root, apps):
        for ref in extract_imports(path, root):
            if ref.module.split(".")[0] in apps and ref.module not in modules:
                where = path.relative_to(root).as_posix()
                found.append(f"{where}:{ref.line} imports {ref.module}")
    return found


def build_import_graph(root: Path, apps: Iterable[str]) -> dict[str, dict[str, int]]:
    """Module -> {imported product module: line of the first such import}, leaving out
    imports under ``if TYPE_CHECKING:`` and a module importing itself."""
    modules = discover_modules(root, apps)
    graph: dict[str, dict[str, int]] = {}
    for name, path in modules.items():
        edges = graph.setdefault(name, {})
        for ref in extract_imports(path, root):
            if ref.type_checking:
                continue
            for target in import_targets(ref, modules):
                if target != name:
                    edges.setdefault(target, ref.line)
    return graph


def strongly_connected_components(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components, iteratively (no recursion limit); each
    component sorted, nodes visited in sorted order so the result is stable."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def enter(node: str) -> Iterator[str]:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        return iter(sorted(graph.get(node, ())))

    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, enter(start))]
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    work.append((successor, enter(successor)))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(sorted(component))
    return components


def import_cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The components of two or more modules that import each other, largest first."""
    cycles = [c for c in strongly_connected_components(graph) if len(c) > 1]
    return sorted(cycles, key=lambda c: (-len(c), c))


def example_cycle(graph: Mapping[str, Iterable[str]], component: list[str]) -> list[str]:
    """A shortest cycle through the component's first module (breadth-first, inside
    the component), as ``[a, b, ..., a]``."""
    members = set(component)
    start = component[0]
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for successor in sorted(graph.get(node, ())):
            if successor == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [*reversed(path), start]
            if successor in members and successor not in came_from:
                came_from[successor] = node
                queue.append(successor)
    return [start]


def describe_cycles(graph: Mapping[str, Mapping[str, int]]) -> list[str]:
    """One paragraph per import cycle: members, an example, every import inside it."""
    paragraphs = []
    for number, component in enumerate(import_cycles(graph), 1):
        members = set(component)
        lines = [
            f"cycle {number} ({len(component)} modules): {', '.join(component)}",
            f"  for example: {' -> '.join(example_cycle(graph, component))}",
            "  imports inside it:",
        ]
        for module in component:
            for target, line in sorted(graph[module].items()):
                if target in members:
                    lines.append(f"    {module} (line {line}) -> {target}")
        paragraphs.append("\n".join(lines))
    return paragraphs


def forbidden_imports(
    root: Path, app: str, forbidden: Iterable[str], apps: Iterable[str] = APPS
) -> list[str]:
    """``path:line imports module`` for every import in ``app`` (anywhere, including under
    ``if TYPE_CHECKING:``) of a module in one of the ``forbidden`` top-level packages."""
    forbidden = set(forbidden)
    found = []
    for path in python_files(root, [app]):
        for ref in extract_imports(path, root):
            if ref.module.split(".")[0] in forbidden:
                where = path.relative_to(root).as_posix()
                found.append(f"{where}:{ref.line} imports {ref.module}")
    return found


def _docstring_nodes(tree: ast.AST) -> set[int]:
    """The ids of string constants that are bare expression statements (docstrings)."""
    return {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    }


def modeladmin_url_names(root: Path, apps: Iterable[str] = APPS) -> list[str]:
    """``path:line`` of every modeladmin URL name outside the allowed places (rule 3)."""
    apps = list(apps)
    found = []
    for path in python_files(root, apps):
        where = path.relative_to(root).as_posix()
        if where.startswith(MODELADMIN_ALLOWED_PY):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        docstrings = _docstring_nodes(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and MODELADMIN_URL_PART in node.value
                and id(node) not in docstrings
            ):
                found.append(f"{where}:{node.lineno} {node.value!r}")
    for path in template_files(root, apps):
        where = path.relative_to(root).as_posix()
        if any(allowed in where for allowed in MODELADMIN_ALLOWED_TEMPLATES):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            if MODELADMIN_URL_PART in line:
                found.append(f"{where}:{number} {line.strip()}")
    return found


def says_why_it_is_long(text: str) -> bool:
    """Whether the module docstring, or a comment in the first :data:`HEADER_LINES`
    lines, has the marker followed by a reason (which may go on in the next comment
    line)."""
    try:
        docstring = ast.get_docstring(ast.parse(text), clean=False) or ""
    except SyntaxError:
        docstring = ""
    comment_blocks = [[]]
    for line in text.splitlines()[:HEADER_LINES]:
        if line.strip().startswith("#"):
            comment_blocks[-1].append(line.strip().lstrip("#").strip())
        else:
            comment_blocks.append([])
    texts = [docstring, *(" ".join(block) for block in comment_blocks)]
    pattern = re.escape(LONG_MODULE_MARKER) + r"\s*\w"
    return any(re.search(pattern, part) for part in texts)


def long_modules_without_reason(root: Path, apps: Iterable[str] = APPS) -> list[str]:
    """``path (N lines)`` for every product module past the limit that does not say why."""
    found = []
    for path in python_files(root, apps):
        text = path.read_text(encoding="utf-8")
        count = len(text.splitlines())
        if count > MAX_LINES and not says_why_it_is_long(text):
            found.append(f"{path.relative_to(root).as_posix()} ({count} lines)")
    return found


# --- the rules on the product code ------------------------------------------------------


def test_forms_builder_does_not_import_dossiers():
    found = forbidden_imports(ROOT, "forms_builder", ["dossiers"])
    assert not found, "forms_builder must not import dossiers (rule 1):\n" + "\n".join(found)


def test_core_does_not_import_the_other_apps():
    found = forbidden_imports(ROOT, "core", ["cms", "forms_builder", "dossiers"])
    assert not found, "core must not import cms, forms_builder or dossiers (rule 2):\n" + (
        "\n".join(found)
    )


def test_only_dossiers_admin_names_modeladmin_urls():
    found = modeladmin_url_names(ROOT)
    assert not found, (
        "modeladmin URL names outside dossiers/admin/ (rule 3; ask dossiers.admin for the "
        "link instead):\n" + "\n".join(found)
    )


def test_no_import_cycles_in_product_code():
    graph = build_import_graph(ROOT, APPS)
    cycles = describe_cycles(graph)
    assert not cycles, f"{len(cycles)} import cycle(s) in product code (rule 4):\n" + (
        "\n".join(cycles)
    )


def test_product_imports_resolve():
    """Not one of the issue's rules, but rule 4 is only right when every import of a
    product module finds its file (a relative import moved with its module, say)."""
    found = unresolved_imports(ROOT, APPS)
    assert not found, (
        "imports of product modules without a file (missing module, or a package without "
        "__init__.py):\n" + "\n".join(found)
    )


def test_long_modules_say_why():
    found = long_modules_without_reason(ROOT)
    assert not found, (
        f"modules longer than {MAX_LINES} lines without {LONG_MODULE_MARKER!r} in their "
        f"docstring or first {HEADER_LINES} lines (rule 5; split them or say why):\n"
        + "\n".join(found)
    )


# --- the checker itself, on synthetic packages ------------------------------------------


def write_tree(root: Path, files: Mapping[str, str]) -> Path:
    """Write ``{"app/module.py": source}`` under ``root`` (packages get ``__init__.py``)."""
    for relative, source in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
        for parent in path.relative_to(root).parents:
            init = root / parent / "__init__.py"
            if parent != Path(".") and "templates" not in parent.parts and not init.exists():
                init.write_text("", encoding="utf-8")
    return root


def test_strongly_connected_components_of_a_small_graph():
    graph = {"a": ["b"], "b": ["c"], "c": ["a", "d"], "d": ["e"], "e": ["d"], "f": ["f"]}
    assert sorted(strongly_connected_components(graph)) == [
        ["a", "b", "c"],
        ["d", "e"],
        ["f"],
    ]
    assert import_cycles(graph) == [["a", "b", "c"], ["d", "e"]]
    assert example_cycle(graph, ["a", "b", "c"]) == ["a", "b", "c", "a"]


def test_strongly_connected_components_of_a_long_chain_needs_no_recursion():
    graph = {str(n): [str(n + 1)] for n in range(5000)}
    graph["5000"] = ["0"]
    assert import_cycles(graph) == [sorted(graph)]


def test_resolve_relative():
    assert resolve_relative("app.sub.mod", False, 1, None) == "app.sub"
    assert resolve_relative("app.sub.mod", False, 1, "other") == "app.sub.other"
    assert resolve_relative("app.sub.mod", False, 2, "x.y") == "app.x.y"
    assert resolve_relative("app.sub", True, 1, "mod") == "app.sub.mod"
    assert resolve_relative("app.sub", True, 2, None) == "app"
    assert resolve_relative("app.mod", False, 3, None) is None
    assert resolve_relative("app.mod", False, 0, "abs.olute") == "abs.olute"


def test_checker_finds_a_cycle_through_relative_and_function_imports(tmp_path):
    write_tree(
        tmp_path,
        {
            "one/a.py": "from . import b\n",
            "one/b.py": "def f():\n    from .c import thing\n",
            "one/c.py": "import one.a\n",
            "one/d.py": "from one import a\n",
        },
    )
    graph = build_import_graph(tmp_path, ["one"])
    assert graph["one.a"] == {"one.b": 1}
    assert graph["one.b"] == {"one.c": 2}
    assert import_cycles(graph) == [["one.a", "one.b", "one.c"]]
    [paragraph] = describe_cycles(graph)
    assert "one.a -> one.b -> one.c -> one.a" in paragraph
    assert "one.b (line 2) -> one.c" in paragraph


def test_checker_finds_a_cycle_across_apps(tmp_path):
    write_tree(
        tmp_path,
        {
            "one/wizard.py": "from two import services\n",
            "two/services.py": "from one.wizard import Wizard\n",
        },
    )
    assert import_cycles(build_import_graph(tmp_path, ["one", "two"])) == [
        ["one.wizard", "two.services"]
    ]


def test_checker_ignores_type_checking_imports_in_the_graph(tmp_path):
    write_tree(
        tmp_path,
        {
            "one/a.py": "from one import b\n",
            "one/b.py": (
                "import typing\nfrom typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n    from one.a import A\n"
                "if typing.TYPE_CHECKING:\n    import one.a\nelse:\n    import one.c\n"
            ),
            "one/c.py": "",
        },
    )
    graph = build_import_graph(tmp_path, ["one"])
    assert graph["one.b"] == {"one.c": 8}
    assert import_cycles(graph) == []


def test_package_reexports_make_no_fake_cycle(tmp_path):
    write_tree(
        tmp_path,
        {
            "app/models/__init__.py": (
                "from .dossier import Dossier\nfrom .team import Team\n"
                "__all__ = ['Dossier', 'Team']\n"
            ),
            "app/models/team.py": "class Team: ...\n",
            "app/models/dossier.py": (
                "from . import team\nfrom .team import Team\n"
                "from app.models import team as t\nimport app.models.team\n"
            ),
            "app/views.py": "from app.models import Dossier\n",
        },
    )
    graph = build_import_graph(tmp_path, ["app"])
    assert graph["app.models.dossier"] == {"app.models.team": 1}
    assert graph["app.models"] == {"app.models.dossier": 1, "app.models.team": 2}
    assert graph["app.views"] == {"app.models": 1}
    assert import_cycles(graph) == []


def test_importing_a_name_from_the_own_package_is_a_real_cycle(tmp_path):
    write_tree(
        tmp_path,
        {
            "app/models/__init__.py": "from .dossier import Dossier\nfrom .team import Team\n",
            "app/models/team.py": "class Team: ...\n",
            "app/models/dossier.py": "from app.models import Team\n",
        },
    )
    assert import_cycles(build_import_graph(tmp_path, ["app"])) == [
        ["app.models", "app.models.dossier"]
    ]


def test_checker_finds_imports_of_missing_modules(tmp_path):
    write_tree(
        tmp_path,
        {
            "app/models/__init__.py": "from .outbox import Outbox\n",
            "app/models/outbox.py": "def kind():\n    from .notifications import get_kind\n",
            "app/notifications.py": "import os.path\nfrom app.models import Outbox\n",
            "app/views.py": "import app.nothing\nfrom app import notifications, models\n",
        },
    )
    assert unresolved_imports(tmp_path, ["app"]) == [
        "app/models/outbox.py:2 imports app.models.notifications",
        "app/views.py:1 imports app.nothing",
    ]


def test_checker_finds_forbidden_imports_anywhere(tmp_path):
    write_tree(
        tmp_path,
        {
            "platform/a.py": "import os\nfrom cms.settings import base\n",
            "platform/b.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n    from dossiers.models import Dossier\n"
                "def f():\n    import dossiers.services as s\n"
            ),
            "platform/c.py": (
                "import importlib\n\ndef g():\n"
                "    return importlib.import_module('forms_builder.wizard')\n"
            ),
            "platform/d.py": "from . import a\nfrom .a import base\nimport cmsish\n",
        },
    )
    found = forbidden_imports(tmp_path, "platform", ["cms", "forms_builder", "dossiers"])
    assert found == [
        "platform/a.py:2 imports cms.settings",
        "platform/b.py:3 imports dossiers.models",
        "platform/b.py:5 imports dossiers.services",
        "platform/c.py:4 imports forms_builder.wizard",
    ]


def test_relative_import_into_a_forbidden_app_is_found(tmp_path):
    write_tree(tmp_path, {"dossiers/x.py": "", "dossiers/sub/y.py": "from .. import x\n"})
    assert forbidden_imports(tmp_path, "dossiers", ["dossiers"]) == [
        "dossiers/sub/y.py:1 imports dossiers"
    ]


def test_checker_finds_modeladmin_url_names(tmp_path):
    write_tree(
        tmp_path,
        {
            "dossiers/notifications.py": (
                '"""Links to dossiers_dossier_modeladmin_inspect in the docstring are fine."""\n'
                "from django.urls import reverse\n"
                "def link(pk):\n"
                "    return reverse('dossiers_dossier_modeladmin_inspect', args=[pk])\n"
            ),
            "cms/links.py": "def name(action):\n    return f'dossiers_team_modeladmin_{action}'\n",
            "dossiers/admin/options.py": "NAME = 'dossiers_dossier_modeladmin_index'\n",
            "dossiers/wagtail_hooks.py": "modeladmin_register(DossierAdmin)\n",
            "theme/templates/dossiers/email.html": (
                "<p>\n{% url 'dossiers_dossier_modeladmin_inspect' pk %}\n</p>\n"
            ),
            "theme/templates/dossiers/admin/index.html": (
                "{% url 'dossiers_dossier_modeladmin_index' %}\n"
            ),
            "theme/static/notes.txt": "dossiers_dossier_modeladmin_index\n",
        },
    )
    assert modeladmin_url_names(tmp_path, ["cms", "dossiers", "theme"]) == [
        "cms/links.py:2 'dossiers_team_modeladmin_'",
        "dossiers/notifications.py:4 'dossiers_dossier_modeladmin_inspect'",
        "theme/templates/dossiers/email.html:2 {% url 'dossiers_dossier_modeladmin_inspect' pk %}",
    ]


def test_checker_finds_long_modules_without_a_reason(tmp_path):
    body = "x = 1\n" * MAX_LINES
    write_tree(
        tmp_path,
        {
            "app/at_the_limit.py": body,
            "app/too_long.py": body + "y = 2\n",
            "app/comment.py": f"# {LONG_MODULE_MARKER}\n# it is one table.\n" + body,
            "app/docstring.py": (
                '"""Demo content.\n\n' + "\n" * 20 + f'{LONG_MODULE_MARKER} it is data."""\n'
            )
            + body,
            "app/too_late.py": "\n" * 20 + f"# {LONG_MODULE_MARKER} reasons.\n" + body,
            "app/no_reason.py": f"# {LONG_MODULE_MARKER}\n" + body,
            "app/migrations/0001_initial.py": body * 2,
        },
    )
    assert long_modules_without_reason(tmp_path, ["app"]) == [
        f"app/no_reason.py ({MAX_LINES + 1} lines)",
        f"app/too_late.py ({MAX_LINES + 21} lines)",
        f"app/too_long.py ({MAX_LINES + 1} lines)",
    ]


# --- docs/ARCHITECTURE.md matches the tree ------------------------------------------------


def architecture_doc_paths(text: str) -> list[str]:
    """The paths docs/ARCHITECTURE.md names: backticked ``*.py`` paths anywhere, and the
    rooms of its tree (a line ``app/`` at the left margin, then ``  room/`` or
    ``  module.py`` indented by two spaces under it)."""
    paths = re.findall(r"`(\w+/[\w/]*?(?:\.py|/))`", text)
    block = text.split("```", 2)[1] if text.count("```") >= 2 else ""
    app = None
    for line in block.splitlines():
        if re.match(r"^[a-z_]+/\s", line + " "):
            app = line.split("/")[0]
            continue
        match = re.match(r"^  ([a-z_]+(?:/|\.py))(?:\s|$)", line)
        if app and match:
            paths.append(f"{app}/{match.group(1)}")
    return paths


def test_architecture_doc_names_only_what_exists():
    """Every module and room docs/ARCHITECTURE.md names exists, so the map stays true."""
    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text()
    paths = architecture_doc_paths(text)
    assert len(paths) > 30, "the map should name the apps' rooms"
    missing = sorted({path for path in paths if not (ROOT / path).exists()})
    assert not missing, f"docs/ARCHITECTURE.md names what is not in the tree: {missing}"


def test_the_doc_check_reads_the_tree_and_backticked_paths():
    text = (
        "See `core/registry.py`, not `emails.py`.\n"
        "```\ncore/   platform\n  uploads.py   x\n  sub/   y\n```\n"
    )
    assert architecture_doc_paths(text) == ["core/registry.py", "core/uploads.py", "core/sub/"]
