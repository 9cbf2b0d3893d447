"""checkov on the template as CloudFormation will see it, against a baseline of accepted findings.

SAM expands `AWS::Serverless::*` into the functions, roles, permissions and API stages that get
deployed; checkov reads those far better than the SAM short forms, so the template is expanded
first (samtranslator, as `sam deploy` does, with placeholder code locations). Every finding must
be in security/checkov-baseline.yaml under its check, with a one-line reason; a new finding, an
entry without a reason, or an entry that no longer fails (the baseline would hide a regression
later) ends the run with a non-zero status.

    .venv/bin/python tools/checkov_gate.py [--checkov PATH]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import subprocess  # nosec B404 - runs checkov, a fixed local executable
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from local import template  # noqa: E402 - after the path is set

BASELINE = ROOT / "security" / "checkov-baseline.yaml"


class _NoManagedPolicies:
    """samtranslator asks IAM for AWS managed policies' ARNs; the template names none."""

    def load(self) -> dict[str, str]:
        return {}


def expanded() -> dict[str, Any]:
    from samtranslator.translator.transform import transform

    doc = copy.deepcopy(template.load())
    for name, res in doc["Resources"].items():
        props = res.get("Properties", {})
        if res["Type"] == "AWS::Serverless::Function":
            props["CodeUri"] = f"s3://packaged/{name}.zip"
        elif res["Type"] == "AWS::Serverless::LayerVersion":
            props["ContentUri"] = f"s3://packaged/{name}.zip"
    os.environ.setdefault("AWS_DEFAULT_REGION", "eu-central-2")  # for the pseudo parameters only
    result: dict[str, Any] = transform(doc, {}, _NoManagedPolicies())
    return result


def findings(checkov: str, doc: dict[str, Any]) -> set[tuple[str, str]]:
    """(check id, logical id) of every failed check."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "template.json"
        path.write_text(json.dumps(doc, default=str))
        run = subprocess.run(  # noqa: S603  # nosec B603 - fixed arguments
            [checkov, "-f", str(path), "--framework", "cloudformation", "--quiet", "--compact", "-o", "json"],
            capture_output=True,
            text=True,
            check=False,
        )
    if run.returncode not in (0, 1):  # 1: checks failed; anything else: checkov itself did
        sys.exit(f"checkov failed ({run.returncode}):\n{run.stderr[-2000:]}")
    report = json.loads(run.stdout)
    results = report[0] if isinstance(report, list) else report
    if results.get("summary", {}).get("parsing_errors"):
        sys.exit("checkov could not parse the expanded template")
    failed = results.get("results", {}).get("failed_checks", [])
    return {(f["check_id"], f["resource"].split(".", 1)[1]) for f in failed}


def baseline() -> tuple[set[tuple[str, str]], list[str]]:
    """The accepted (check, resource) pairs, and the checks listed without a reason."""
    accepted: set[tuple[str, str]] = set()
    unexplained = []
    for check, entry in (yaml.safe_load(BASELINE.read_text()) or {}).items():
        if not str(entry.get("reason") or "").strip():
            unexplained.append(check)
        accepted |= {(check, resource) for resource in entry.get("resources", [])}
    return accepted, unexplained


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkov", default=str(ROOT / ".venv-checkov" / "bin" / "checkov"))
    args = parser.parse_args()
    found = findings(args.checkov, expanded())
    accepted, unexplained = baseline()
    new, gone = sorted(found - accepted), sorted(accepted - found)
    for check, resource in new:
        print(f"new finding: {check} on {resource} (fix it, or add it to {BASELINE.name} with a reason)")
    for check, resource in gone:
        print(f"no longer failing: {check} on {resource} (remove it from {BASELINE.name})")
    for check in unexplained:
        print(f"{check} is accepted without a reason in {BASELINE.name}")
    if new or gone or unexplained:
        return 1
    print(f"checkov: {len(found)} findings, each accepted in {BASELINE.relative_to(ROOT)} with its reason")
    return 0


if __name__ == "__main__":
    sys.exit(main())
