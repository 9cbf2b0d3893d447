"""The issue's targets at a glance: reads the sections of bench/results.json and writes section
"summary" with, per target, the headline number, whether it is met and when it was measured.

    python -m bench.summary

Run it last (`make bench` does); a section not yet recorded shows as missing, not as met.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import harness

# section -> (what the issue asks, the headline taken from the section)
HEADLINES: dict[str, tuple[str, Callable[[dict[str, Any]], Any]]] = {
    "cold_start": (
        "import time / baseline <= 1.3 per function",
        lambda s: {k: f["ratio_to_baseline"] for k, f in s["functions"].items()},
    ),
    "dynamodb_calls": (
        "apply, accept, confirm <= 2 DynamoDB calls; GET /jobs 1 per page",
        lambda s: {k: s["routes"][k]["dynamodb_calls_max"] for k in s["targets"]},
    ),
    "scans_on_request_paths": ("0 Scans on any request route", lambda s: s["scans_total"]),
    "report_scaling": ("report time, 12 months / 1 month <= 1.3", lambda s: s["median_ratio_twelve_over_one"]),
    "memory": (
        "peak RSS within 60 % of MemorySize (peak >= 40 % of it, <= it)",
        lambda s: {k: [f.get("peak_mb"), f["memory_size_mb"]] for k, f in s["functions"].items()},
    ),
    "api": ("p50/p99 of the load run", lambda s: {k: v for k, v in s.items() if "p50" in k or "p99" in k}),
    "cost_per_1000_filled_slots_usd": ("<= USD 0.03 per 1,000 filled slots", lambda s: s["usd_per_1000_filled_slots"]),
}


def _meets(section: dict[str, Any]) -> bool | None:
    for key in ("meets_target", "meets_targets"):
        if key in section:
            return bool(section[key])
    return None


def summarise(results: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, (target, headline) in HEADLINES.items():
        section = results.get(name)
        if section is None:
            out[name] = {"target": target, "recorded": False, "meets_target": None}
            continue
        try:
            value = headline(section)
        except (KeyError, TypeError):
            value = None
        out[name] = {
            "target": target,
            "recorded": True,
            "headline": value,
            "meets_target": _meets(section),
            "recorded_at": section.get("recorded_at"),
            "git_head": section.get("git_head"),
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--results", type=Path, default=harness.RESULTS, help="default bench/results.json")
    args = parser.parse_args(argv)
    results = json.loads(args.results.read_text()) if args.results.exists() else {}
    targets = summarise(results)
    verdicts = [t["meets_target"] for t in targets.values()]
    data = {
        "command": "python -m bench.summary",
        "targets": targets,
        "all_met": all(v is True for v in verdicts),
        "missed": sorted(k for k, t in targets.items() if t["meets_target"] is False),
        "not_recorded": sorted(k for k, t in targets.items() if not t["recorded"]),
    }
    harness.record("summary", data, args.results)
    for name, t in targets.items():
        state = {True: "met", False: "MISSED", None: "not recorded" if not t["recorded"] else "no verdict"}
        print(f"  {name:32} {state[t['meets_target']]:13} {t['target']}")
    return 0 if data["all_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
