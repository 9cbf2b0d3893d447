"""The layers ship bytecode. Lambda unpacks a layer into a read-only /opt, where Python cannot
cache what it compiles: without .pyc every cold start compiles all it imports (issue 18: init
0.96 s of CPU instead of 0.41 for the participants function). `sam build` runs the layer's
Makefile (template.yaml: BuildMethod makefile); this runs its steps with the packages left out."""

from __future__ import annotations

import importlib.util
import shutil
import struct
import subprocess
import sys
from pathlib import Path

from local import template

ROOT = Path(__file__).resolve().parents[2]
LAYERS = {"SharedLayer": ROOT / "layers" / "shared", "PdfLayer": ROOT / "layers" / "pdf"}
UNCHECKED_HASH = 0b01  # PEP 552 flags: hash-based, source not checked


def _flags(pyc: Path) -> int:
    return int(struct.unpack("<I", pyc.read_bytes()[4:8])[0])


def test_every_module_of_the_built_shared_layer_has_unchecked_bytecode(tmp_path: Path) -> None:
    source, built = tmp_path / "source", tmp_path / "built"
    shutil.copytree(LAYERS["SharedLayer"], source, ignore=shutil.ignore_patterns("__pycache__"))
    (source / "requirements.txt").write_text("")  # pip's part needs the package index; ours is the rest
    stale = source / "python" / "tremplin" / "__pycache__" / "api.cpython-39.pyc"
    stale.parent.mkdir()
    stale.write_bytes(b"left over from a developer's machine")
    make = ["make", "-s", "-C", str(source), "build-SharedLayer", f"ARTIFACTS_DIR={built}", f"PYTHON={sys.executable}"]
    subprocess.run(make, check=True, capture_output=True)  # noqa: S603

    modules = sorted(p.relative_to(built / "python") for p in (built / "python").rglob("*.py"))
    assert modules == sorted(p.relative_to(source / "python") for p in (source / "python").rglob("*.py"))
    assert Path("tremplin/api.py") in modules
    for module in modules:
        pyc = Path(importlib.util.cache_from_source(str(built / "python" / module)))
        assert pyc.is_file(), f"{module} has no bytecode"
        assert _flags(pyc) == UNCHECKED_HASH, f"{module}: bytecode Python would check against unzipped times"
    assert not list(built.rglob("*.cpython-39.pyc")), "bytecode from the source folder was shipped"


def test_both_layers_are_built_by_the_same_makefile() -> None:
    resources = template.load()["Resources"]
    for name, folder in LAYERS.items():
        assert resources[name]["Metadata"]["BuildMethod"] == "makefile", name
        assert (folder / "Makefile").read_text() == (LAYERS["SharedLayer"] / "Makefile").read_text(), name
