"""Build the versioned zip of the extension that IT deploys (`make extension`).

``dist/callcenter-companion-<manifest version>.zip`` holds every file the extension runs with
(not tools/ or the README), in a fixed order with fixed timestamps, so the same sources give
the same bytes. Its manifest keeps the ``key``, so unpacked it has the pinned id the agent
allows. ``…-store.zip`` is the same without the ``key``, which the Chrome Web Store refuses
(the store gives the item its own id: docs/deploy.md).
"""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

EXTENSION = Path(__file__).resolve().parents[1]
LEFT_OUT = ("tools/", "README.md")
FIXED_TIME = (2020, 1, 1, 0, 0, 0)


def files(root: Path = EXTENSION) -> list[str]:
    names = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    return [n for n in names if not n.startswith(LEFT_OUT) and "__pycache__" not in n]


def build(out_dir: Path, root: Path = EXTENSION, *, store: bool = False) -> Path:
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    out_dir.mkdir(parents=True, exist_ok=True)
    suffix = "-store" if store else ""
    target = out_dir / f"callcenter-companion-{manifest['version']}{suffix}.zip"
    if store:
        del manifest["key"]
    tmp = target.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in files(root):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            data = (root / name).read_bytes()
            if store and name == "manifest.json":
                data = (json.dumps(manifest, indent=2) + "\n").encode("utf-8")
            archive.writestr(info, data)
    tmp.replace(target)
    return target


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else EXTENSION.parent / "dist"
    print(build(out))
    print(build(out, store=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
