"""Checks that every target of Package.swift declares exactly the project modules it imports.

A module imported but not declared builds only by luck of the build order; one declared but
never imported links what it does not use. Exits 1 and names each mismatch.
"""

import json
import os
import re
import subprocess
import sys

IMPORT = re.compile(r"\s*(?:@testable\s+)?(?:@_exported\s+)?import\s+(\w+)")


def main() -> int:
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    package = json.loads(subprocess.run(["swift", "package", "dump-package"], capture_output=True, text=True, check=True).stdout)
    names = {target["name"] for target in package["targets"]}
    mismatches = 0
    for target in package["targets"]:
        declared = set()
        for dependency in target.get("dependencies", []):
            for kind in ("byName", "target", "product"):
                if kind in dependency and dependency[kind][0] in names:
                    declared.add(dependency[kind][0])
        path = target.get("path") or (("Tests/" if target["type"] == "test" else "Sources/") + target["name"])
        imported = set()
        for root, _, files in os.walk(path):
            for name in files:
                if name.endswith(".swift"):
                    with open(os.path.join(root, name), encoding="utf-8") as source:
                        for line in source:
                            match = IMPORT.match(line)
                            if match and match.group(1) in names:
                                imported.add(match.group(1))
        undeclared = imported - declared - {target["name"]}
        unused = declared - imported
        if undeclared or unused:
            mismatches += 1
            print(f"{target['name']}: imports undeclared {sorted(undeclared)}; declares unused {sorted(unused)}")
    if mismatches:
        print(f"package hygiene: {mismatches} target(s) do not declare what they import; fix Package.swift")
        return 1
    print("package hygiene: every target declares exactly the project modules it imports")
    return 0


if __name__ == "__main__":
    sys.exit(main())
