"""The extension's stable id, pinned by the ``key`` in extension/manifest.json."""

from __future__ import annotations

import base64
import hashlib

EXTENSION_ID = "bmkdjnfkgojdbeanehooebdmfiplcmpc"


def extension_id_from_key(key_b64: str) -> str:
    """Chrome's id for a manifest key: sha256 of the DER key, first 32 hex digits mapped to a-p."""
    digest = hashlib.sha256(base64.b64decode(key_b64)).hexdigest()[:32]
    return "".join(chr(ord("a") + int(c, 16)) for c in digest)
