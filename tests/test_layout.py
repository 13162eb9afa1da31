"""Imports point one way: io <- quotes, stance <- run <- api, cli <- scripts; eval and report read.

A small AST check over ``pipeline/`` (every import, function-level ones included):

* ``pipeline.locations``, ``pipeline.models`` and ``pipeline.config_schema`` are leaf helpers
  that import no other part of the package;
* ``pipeline.io`` (read input, write and read artifacts) imports only the leaf helpers;
* ``pipeline.quotes`` imports io and the helpers; ``pipeline.stance`` may also read quotes (a
  stance input is built from a quote's clause, references and speaker), never the reverse;
* ``pipeline.run`` (stages, runners, the ``Pipeline`` class) imports those, never api or cli;
* ``pipeline.eval`` and ``pipeline.report`` read artifacts: they may use io, quotes, stance and
  the helpers, never run, api, cli or bench;
* nothing that runs inference imports eval or report.  Training and tuning modules are the
  exception (:data:`TRAINING_MAY_IMPORT`): they score dev with the evaluation's own metric
  (``pipeline.eval.metrics``, ``pipeline.eval.quotes``), so training and evaluation cannot
  drift apart.

It also checks that every ``pipeline`` import in the package, the scripts, the tools and the tests (and
each name imported ``from`` a module), and every ``_target_`` in ``configs/``, names a module
that exists (a merge that brings back an old path fails here, naming the file and line).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "pipeline"
LEAVES = {"pipeline.locations", "pipeline.models", "pipeline.config_schema"}
# Who may import whom, by layer (the first dotted parts of the module name).
ALLOWED = {
    "leaf": {"leaf"},
    "io": {"leaf", "io"},
    "quotes": {"leaf", "io", "quotes"},
    "stance": {"leaf", "io", "quotes", "stance"},
    "run": {"leaf", "io", "quotes", "stance", "run"},
    "eval": {"leaf", "io", "quotes", "stance", "eval"},
    "report": {"leaf", "io", "quotes", "stance", "eval", "report"},
    "api": {"leaf", "io", "quotes", "stance", "run"},
    "cli": {"leaf"},
    "bench": {"leaf", "io", "quotes", "stance", "run"},
}
#: Training scores dev through the evaluation code (see the module docstring).
TRAINING_MAY_IMPORT = {
    "pipeline.quotes.tagger.training": {"eval"},
    "pipeline.stance.training": {"eval"},
}


def layer(module: str) -> str | None:
    """The layer of a ``pipeline`` module, or None for the package itself."""
    if module in LEAVES:
        return "leaf"
    parts = module.split(".")
    if len(parts) < 2:
        return None
    return parts[1]


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def resolve(name: str) -> str | None:
    """The longest prefix of dotted ``name`` that is a module or package of the checkout."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        base = ROOT.joinpath(*parts[:end])
        if base.with_suffix(".py").is_file() or (base / "__init__.py").is_file():
            return ".".join(parts[:end])
    return None


def module_file(module: str) -> Path:
    base = ROOT.joinpath(*module.split("."))
    return base.with_suffix(".py") if base.with_suffix(".py").is_file() else base / "__init__.py"


def defined_names(module: str) -> set[str]:
    """Names bound at the top level of ``module`` (under ``if``/``try`` too), and its ``__all__``."""
    tree = ast.parse(module_file(module).read_text(encoding="utf-8"))
    names: set[str] = set()
    todo = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.If, ast.Try)):
            todo += [*node.body, *node.orelse, *getattr(node, "finalbody", []),
                     *(n for handler in getattr(node, "handlers", []) for n in handler.body)]
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                names |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
                if getattr(target, "id", None) == "__all__" and isinstance(node.value, (ast.List, ast.Tuple)):
                    names |= {e.value for e in node.value.elts if isinstance(e, ast.Constant)}
    return names


def missing_names(path: Path) -> list[str]:
    """``from pipeline.x import name`` where ``pipeline.x`` has no such name or submodule."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    missing = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and not node.level and node.module \
                and (node.module == "pipeline" or node.module.startswith("pipeline.")) \
                and resolve(node.module) == node.module:
            names = defined_names(node.module)
            for alias in node.names:
                if alias.name != "*" and alias.name not in names and resolve(f"{node.module}.{alias.name}") \
                        != f"{node.module}.{alias.name}":
                    missing.append(f"{path.relative_to(ROOT)}:{node.lineno}: {alias.name} from {node.module}")
    return missing


def imports(path: Path, root: Path = ROOT) -> list[tuple[int, str]]:
    """``(line, module)`` for every import of a ``pipeline`` module in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    here = module_name(path, root).split(".")
    if path.name != "__init__.py":
        here = here[:-1]  # the package a relative import starts from
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(here[: len(here) - node.level + 1] + ([base] if base else []))
            # ``from pipeline.run import ray_runner`` imports the module pipeline.run.ray_runner
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.append((node.lineno, full if resolve(full) == full else base))
    return [(line, name) for line, name in found if name == "pipeline" or name.startswith("pipeline.")]


def package_files() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def violations(paths: list[Path], root: Path = ROOT) -> list[str]:
    problems = []
    for path in paths:
        source = module_name(path, root)
        if source == "pipeline":
            continue  # the package's lazy ``Pipeline`` attribute imports the api on first use
        source_layer = layer(source)
        allowed = ALLOWED.get(source_layer)
        if allowed is None:
            problems.append(f"{path.relative_to(root)}: module outside the known layers "
                            f"({', '.join(sorted(ALLOWED))}); add it to tests/test_layout.py")
            continue
        allowed = allowed | TRAINING_MAY_IMPORT.get(source, set())
        for line, target in imports(path, root):
            resolved = resolve(target)
            if resolved is None:
                continue  # reported by test_every_pipeline_import_names_an_existing_module
            target_layer = layer(resolved)
            if target_layer is not None and target_layer not in allowed:
                problems.append(f"{path.relative_to(root)}:{line}: {source_layer} module {source} imports "
                                f"{resolved} ({target_layer}); {source_layer} may import only "
                                f"{', '.join(sorted(allowed))}")
    return problems


def test_imports_point_one_way():
    problems = violations(package_files())
    assert not problems, "imports against the layering (see tests/test_layout.py):\n" + "\n".join(problems)


def test_research_tools_stay_out_of_the_package_and_the_console_commands():
    """tools/ (sweeps, miss analyses, distillation) is never imported by the package or the scripts."""
    tools = {p.stem for p in (ROOT / "tools").glob("*.py")}
    for path in [*package_files(), *sorted((ROOT / "scripts").glob("*.py"))]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                 for alias in node.names}
        names |= {(node.module or "").split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                  and not node.level}
        assert not names & (tools | {"tools"}), f"{path.relative_to(ROOT)} imports a research tool"
    assert not tools & {p.stem for p in (ROOT / "scripts").glob("*.py")}
    for path in sorted((ROOT / "tools").glob("*.py")):  # moved files still parse
        compile(path.read_text(encoding="utf-8"), str(path), "exec")


def test_the_rules_segmenter_takes_its_words_from_the_lexicon_not_the_attributor():
    segmenter = PACKAGE / "quotes" / "rules" / "segment.py"
    assert "pipeline.quotes.rules.attribute" not in {name for _, name in imports(segmenter)}


def test_every_pipeline_import_names_an_existing_module():
    missing = []
    for path in [*package_files(), *sorted((ROOT / "scripts").rglob("*.py")), *sorted((ROOT / "tools").rglob("*.py")),
                 *sorted((ROOT / "tests").rglob("*.py"))]:
        for line, target in imports(path):
            if resolve(target) is None or (resolve(target) == "pipeline" and target != "pipeline"):
                missing.append(f"{path.relative_to(ROOT)}:{line}: {target}")
        missing += missing_names(path)
    assert not missing, "imports of modules that do not exist (moved? `git log --follow` the old path):\n" + "\n".join(missing)


def test_every_config_target_names_an_existing_module():
    missing = []
    for path in sorted((ROOT / "configs").rglob("*.yaml")):
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = re.search(r"_target_:\s*(pipeline\.[\w.]+)", text)
            if not match:
                continue
            target = match.group(1)
            module = resolve(target) or "pipeline"
            attribute = target[len(module) + 1:].split(".")[0]
            if module == "pipeline" or (attribute and attribute not in defined_names(module)):
                missing.append(f"{path.relative_to(ROOT)}:{number}: {target}")
    assert not missing, "_target_ paths that name no module:\n" + "\n".join(missing)


def test_a_wrong_way_import_is_reported_with_its_file_and_rule(tmp_path):
    """The check itself: modules that import against the layering are named, with the rule."""
    probes = {"io/probe.py": "from pipeline.run.stages import Stages\n",
              "quotes/tagger/probe.py": "def f():\n    from pipeline.eval.quotes import score\n",
              "eval/probe.py": "from pipeline.run import ray_runner\n",
              "quotes/probe.py": "import pipeline.stance.features\n",
              "run/probe.py": "from pipeline.api import Pipeline\n"}
    paths = []
    for name, text in probes.items():
        path = tmp_path / "pipeline" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    assert violations(paths, tmp_path) == [
        "pipeline/io/probe.py:1: io module pipeline.io.probe imports pipeline.run.stages (run); "
        "io may import only io, leaf",
        "pipeline/quotes/tagger/probe.py:2: quotes module pipeline.quotes.tagger.probe imports "
        "pipeline.eval.quotes (eval); quotes may import only io, leaf, quotes",
        "pipeline/eval/probe.py:1: eval module pipeline.eval.probe imports pipeline.run.ray_runner (run); "
        "eval may import only eval, io, leaf, quotes, stance",
        "pipeline/quotes/probe.py:1: quotes module pipeline.quotes.probe imports pipeline.stance.features "
        "(stance); quotes may import only io, leaf, quotes",
        "pipeline/run/probe.py:1: run module pipeline.run.probe imports pipeline.api (api); "
        "run may import only io, leaf, quotes, run, stance",
    ]
