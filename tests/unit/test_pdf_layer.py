"""fpdf2 ships in the PdfLayer, which only the functions that draw PDFs carry (issue 18: 55 MB
less for every other cold start). The import contract in pyproject.toml names the functions
that must never reach fpdf; the template must give the layer to exactly the others, or a PDF
route fails on Lambda with an ImportError (the local stack, with every package, would not show it)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from local import template

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = "Only functions with the PDF layer reach fpdf2"


def _contract() -> dict[str, object]:
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    [contract] = [c for c in contracts if c["name"] == CONTRACT]
    return contract


def _package(fn: template.FunctionDef) -> str:
    return "functions." + Path(fn.code_uri).name


def test_the_functions_kept_from_fpdf_are_exactly_those_without_the_pdf_layer() -> None:
    contract = _contract()
    assert contract["forbidden_modules"] == ["fpdf"]
    kept_away = set(contract["source_modules"])  # type: ignore[arg-type]
    functions = template.functions().values()
    with_layer = {_package(f) for f in functions if "PdfLayer" in f.layers}
    without = {_package(f) for f in functions if "PdfLayer" not in f.layers}
    assert with_layer == {"functions.pay", "functions.report_worker"}
    assert without == kept_away, "a new function must be listed in the contract, or given the PdfLayer"


def test_every_function_has_the_shared_layer_first() -> None:
    assert {f.layers[0] for f in template.functions().values()} == {"SharedLayer"}


def test_fpdf2_is_in_the_pdf_layer_only() -> None:
    def pinned(path: str) -> set[str]:
        lines = (ROOT / path).read_text().splitlines()
        return {line.split("==")[0].split("[")[0] for line in lines if line and not line.startswith("#")}

    [pdf_layer] = [r for n, r in template.resources("AWS::Serverless::LayerVersion").items() if n == "PdfLayer"]
    assert pdf_layer["Properties"]["ContentUri"] == "layers/pdf/"
    assert "fpdf2" in pinned("layers/pdf/requirements.txt")
    assert "fpdf2" not in pinned("layers/shared/requirements.txt")
