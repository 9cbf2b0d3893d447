"""Checks the prerequisites with a clear message: Python >= 3.11, Node >= 18, Java >= 17.

Standard library only: it runs before the virtual environment exists.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

NEEDED = {"python3": (3, 11), "node": (18,), "java": (17,)}
HOW = {
    "python3": "install Python 3.11 or newer (https://www.python.org/downloads/)",
    "node": "install Node.js 18 or newer (https://nodejs.org/), it runs DynamoDB Local's npm package",
    "java": "install Java 17 or newer (e.g. apt-get install openjdk-17-jre-headless), DynamoDB Local runs on it",
}


def _version(tool: str) -> tuple[int, ...] | None:
    if tool == "python3":
        return sys.version_info[:2]
    exe = shutil.which(tool)
    if exe is None:
        return None
    args = [exe, "-version"] if tool == "java" else [exe, "--version"]
    out = subprocess.run(args, capture_output=True, text=True, check=False)  # noqa: S603 - fixed tool names
    match = re.search(r"(\d+)(?:\.(\d+))?", out.stdout + out.stderr)
    return tuple(int(g) for g in match.groups() if g is not None) if match else None


def problems() -> list[str]:
    found = []
    for tool, minimum in NEEDED.items():
        version = _version(tool)
        want = ".".join(map(str, minimum))
        if version is None:
            found.append(f"{tool} was not found: {HOW[tool]}.")
        elif version[: len(minimum)] < minimum:
            have = ".".join(map(str, version))
            found.append(f"{tool} {have} is too old, {want} or newer is needed: {HOW[tool]}.")
    return found


if __name__ == "__main__":
    missing = problems()
    for line in missing:
        print(f"Missing prerequisite: {line}", file=sys.stderr)
    sys.exit(1 if missing else 0)
