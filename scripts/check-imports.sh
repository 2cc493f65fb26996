#!/usr/bin/env bash
# Package.swift tells the truth: every target declares exactly the modules its Swift files import.
# Fails when a target imports a module it does not declare, or declares one it never imports.
#
#   scripts/check-imports.sh            # reads `swift package dump-package`
#   scripts/check-imports.sh dump.json  # reads a dump made earlier
#
# A product dependency counts as its module of the same name (true of every product zizhu uses).
# A test target may declare an executable target it runs but does not import (the CLI tests run
# the built `zizhu`). Modules of the platform and toolchain are not declared and are ignored.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v python3 >/dev/null 2>&1 || { echo "check-imports: needs python3 (apt-get install python3)" >&2; exit 2; }

if [[ $# -ge 1 ]]; then
    dump=$(cat "$1")
else
    dump=$(swift package dump-package)
fi

DUMP="$dump" python3 - <<'PY'
import json, os, re, sys

package = json.loads(os.environ["DUMP"])
platform = {"Foundation", "FoundationEssentials", "FoundationNetworking", "Dispatch", "Darwin", "Glibc",
            "Musl", "WinSDK", "Testing", "XCTest", "Swift", "_Concurrency", "Synchronization", "os"}
import_line = re.compile(
    r"^\s*(?:@\w+\s+)*(?:(?:public|package|internal|fileprivate|private)\s+)?import\s+"
    r"(?:(?:typealias|struct|class|enum|protocol|let|var|func)\s+)?([A-Za-z_][A-Za-z0-9_]*)")

targets = {t["name"]: t for t in package["targets"]}
problems = []
for target in package["targets"]:
    name, kind = target["name"], target["type"]
    if kind in ("system", "binary", "plugin", "macro"):
        continue
    folder = target.get("path") or ("Tests/" if kind == "test" else "Sources/") + name
    imported = {}
    for root, _, files in os.walk(folder):
        for file in sorted(files):
            if not file.endswith(".swift"):
                continue
            path = os.path.join(root, file)
            with open(path, encoding="utf-8") as source:
                for number, line in enumerate(source, 1):
                    match = import_line.match(line)
                    if match and match.group(1) not in platform and match.group(1) != name:
                        imported.setdefault(match.group(1), f"{path}:{number}")
    declared = {}
    for dependency in target["dependencies"]:
        for key in ("byName", "target", "product"):
            if key in dependency:
                declared[dependency[key][0]] = key
    for module, where in sorted(imported.items()):
        if module not in declared:
            problems.append(f"{where}: {name} imports {module} but Package.swift does not declare it")
    for module in sorted(declared):
        if module in imported:
            continue
        other = targets.get(module)
        if kind == "test" and other is not None and other["type"] == "executable":
            continue  # run by the tests, not imported
        problems.append(f"Package.swift: {name} declares {module} but no file in {folder} imports it")

for problem in problems:
    print(problem, file=sys.stderr)
if problems:
    print(f"check-imports: {len(problems)} problem(s)", file=sys.stderr)
    sys.exit(1)
print(f"check-imports: {sum(1 for t in package['targets'] if t['type'] not in ('system', 'binary', 'plugin', 'macro'))} targets declare exactly what they import")
PY
