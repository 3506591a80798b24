"""The top-level ``imageref`` namespace: what it exports, and what it loads only when asked.

``imageref/__init__.py`` names the label and OCI exports three times: in the imports
type checkers read (under ``TYPE_CHECKING``), in ``_LABEL_NAMES`` / ``_OCI_NAMES`` (what
the module ``__getattr__`` loads on first use), and in ``__all__``. These tests hold
the three in step with ``imageref.labels.__all__`` and ``imageref.oci``, and check
that ``import imageref`` still loads neither module.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import types
from pathlib import Path

import imageref
from imageref import labels, oci

# The two label names imageref binds at import, from imageref.errors (they are errors).
_EAGER_LABEL_NAMES = {"ImageLabelError", "LabelProblem"}


def _type_checking_imports() -> dict[str, set[str]]:
    """Module -> names of the ``from .module import ...`` under ``if TYPE_CHECKING:``."""
    tree = ast.parse(Path(imageref.__file__).read_text("utf-8"))
    found: dict[str, set[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for statement in node.body:
                assert isinstance(statement, ast.ImportFrom)
                assert statement.level == 1
                assert statement.module is not None
                found[statement.module] = {alias.name for alias in statement.names}
    return found


def test_lazy_label_names_are_the_labels_modules_all() -> None:
    assert set(labels.__all__) == imageref._LABEL_NAMES | _EAGER_LABEL_NAMES
    assert imageref._LABEL_NAMES.isdisjoint(_EAGER_LABEL_NAMES)
    for name in labels.__all__:
        assert getattr(imageref, name) is getattr(labels, name), name
    for name in _EAGER_LABEL_NAMES:  # bound at import, not through __getattr__
        assert vars(imageref)[name] is getattr(labels, name), name


def test_lazy_oci_names_are_oci_exports() -> None:
    # The top level re-exports the OCI value types and functions; the constants
    # (DIGEST_ALGORITHMS, DOCKER_HUB_DOMAIN, ...) stay under imageref.oci.
    assert {name for name in oci.__all__ if not name.isupper()} == imageref._OCI_NAMES
    for name in imageref._OCI_NAMES:
        assert getattr(imageref, name) is getattr(oci, name), name


def test_type_checking_imports_are_the_lazy_names() -> None:
    assert _type_checking_imports() == {
        "labels": set(imageref._LABEL_NAMES),
        "oci": set(imageref._OCI_NAMES),
    }


def test_all_is_the_eager_names_and_the_lazy_ones() -> None:
    eager = {
        name
        for name, value in vars(imageref).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)  # submodules bound by their import
        and name not in {"TYPE_CHECKING", "annotations"}
    }
    lazy = imageref._LABEL_NAMES | imageref._OCI_NAMES
    assert eager.isdisjoint(lazy)
    assert sorted(imageref.__all__) == sorted(eager | lazy | {"__version__"})
    assert len(imageref.__all__) == len(set(imageref.__all__))
    assert set(imageref.__all__) <= set(dir(imageref))


def test_import_imageref_loads_neither_labels_nor_oci() -> None:
    code = (
        "import sys, imageref\n"
        "before = {'imageref.labels', 'imageref.oci'} & set(sys.modules)\n"
        "names = dir(imageref)\n"
        "after_dir = {'imageref.labels', 'imageref.oci'} & set(sys.modules)\n"
        "imageref.ServicePort\n"
        "print(sorted(before), sorted(after_dir), 'imageref.labels' in sys.modules,"
        " 'imageref.oci' in sys.modules, 'ServicePort' in names)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert proc.stdout.split() == ["[]", "[]", "True", "False", "True"]
