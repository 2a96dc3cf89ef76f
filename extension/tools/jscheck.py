"""Check the extension's plain JS with TypeScript (``tsc --checkJs``): ``make jscheck``.

TypeScript comes from the npm registry into ``extension/tools/jscheck/node_modules`` (git
ignored; version pinned by ``package-lock.json``). The JS carries no casts, so tsc also reports
DOM narrowing (``.value`` on an ``HTMLElement``) it cannot know is fine; those are counted, not
enforced. Enforced: what is a mistake whatever the types — syntax errors, names that do not
exist, wrong argument counts, imports of what a module does not export, assigning a const.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent / "jscheck"
TSC = HERE / "node_modules" / ".bin" / "tsc"
ENFORCED = {
    2304: "cannot find name",
    2552: "cannot find name (did you mean)",
    18004: "shorthand property with no value in scope",
    2554: "wrong number of arguments",
    2555: "too few arguments",
    2305: "module has no such export",
    2724: "module has no such export (did you mean)",
    2307: "cannot find module",
    2613: "module has no default export",
    2588: "assignment to a constant",
    2451: "name declared twice",
    2349: "calling what is not a function",
}
LINE = re.compile(r"^(?P<where>.+?\(\d+,\d+\)): error TS(?P<code>\d+): (?P<text>.*)$")


def main() -> int:
    if not TSC.exists():
        print(f"jscheck: {TSC} is missing; run `make jscheck` (npm ci there)", file=sys.stderr)
        return 2
    run = subprocess.run(
        [str(TSC), "-p", str(HERE / "tsconfig.json")], capture_output=True, text=True, cwd=HERE
    )
    enforced, loose = [], Counter[int]()
    for line in run.stdout.splitlines():
        found = LINE.match(line)
        if found is None:
            continue
        code = int(found["code"])
        if code in ENFORCED or code < 2000:
            enforced.append(line)
        else:
            loose[code] += 1
    for line in enforced:
        print(line)
    note = ", ".join(f"TS{c}×{n}" for c, n in loose.most_common())
    print(f"jscheck: {len(enforced)} mistakes; not enforced (DOM narrowing): {note or 'none'}")
    return 1 if enforced else 0


if __name__ == "__main__":
    raise SystemExit(main())
