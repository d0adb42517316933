#!/usr/bin/env python3
"""Sum up the NDJSON reports of scripts/fuzz.sh into its one figure line.

usage: fuzz_summary.py REPORTS_DIR ERRORS

Prints `fuzz: N operations, N requests, N failures (check: n, ...)` where operations are those of
the served document that were exercised in at least one run, requests are every request sent
(one per generated case), and failures are failing cases per check across all roles. ERRORS
counts problems of the script itself (a server that did not start, an overrun budget). Exits 1
when anything failed or an operation of the document was never exercised (besides those left out
on purpose, named in FUZZ_LEFT_OUT).
"""
import collections
import json
import os
import pathlib
import sys


def main() -> int:
    reports = pathlib.Path(sys.argv[1])
    errors = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    documented: set[str] = set()
    exercised: set[str] = set()
    requests = 0
    failures: collections.Counter[str] = collections.Counter()
    per_role: collections.Counter[str] = collections.Counter()
    for path in sorted(reports.glob("*/*.ndjson")):
        role = path.parent.name
        for line in path.open(encoding="utf-8"):
            event = json.loads(line)
            (kind, body), = event.items()
            if kind != "ScenarioFinished":
                continue
            recorder = body.get("recorder") or {}
            interactions = recorder.get("interactions") or {}
            requests += len(interactions)
            label = recorder.get("label", "")
            if interactions and label.split(" ", 1)[0] in {"GET", "POST", "PUT", "PATCH", "DELETE"}:
                exercised.add(label)
            for checks in (recorder.get("checks") or {}).values():
                for check in checks:
                    if check.get("status") == "failure":
                        failures[check["name"]] += 1
                        per_role[role] += 1
    # Each operation of the served document (read by fuzz.sh beside the reports).
    doc_path = reports / "openapi.json"
    if doc_path.exists():
        doc = json.loads(doc_path.read_text(encoding="utf-8"))
        for p, item in doc["paths"].items():
            for method in item:
                if method in {"get", "post", "put", "patch", "delete"}:
                    documented.add(f"{method.upper()} {p}")
    # Operations fuzz.sh leaves out on purpose (streams), one per line, named as the labels are.
    left_out = {line for line in os.environ.get("FUZZ_LEFT_OUT", "").splitlines() if line}
    missing = sorted(documented - exercised - left_out)
    total = sum(failures.values())
    by_check = ", ".join(f"{name}: {n}" for name, n in sorted(failures.items())) or "none"
    print(
        f"fuzz: {len(exercised)} operations, {requests} requests, {total} failures ({by_check})"
        + (f", {errors} errors" if errors else "")
    )
    if per_role:
        print("fuzz: failures by role: " + ", ".join(f"{r}: {n}" for r, n in sorted(per_role.items())))
    if left_out:
        print("fuzz: left out on purpose: " + "; ".join(sorted(left_out)))
    if missing:
        print(f"fuzz: {len(missing)} operations never exercised: " + "; ".join(missing))
    return 1 if total or errors or missing else 0


if __name__ == "__main__":
    sys.exit(main())
