"""The one place bytes become data and back, so a faster JSON codec can drop in.

The journal is written as compact ASCII JSON: any Python string (even one
holding a lone surrogate from a mis-encoded terminal argument) can be stored,
and the file is always valid UTF-8. Non-standard constants (NaN, Infinity)
are refused both ways, so the file stays readable by any JSON parser.
"""

from __future__ import annotations

import json
from typing import Any

_encoder = json.JSONEncoder(ensure_ascii=True, allow_nan=False, separators=(",", ":"))


def _no_constants(name: str) -> Any:
    raise ValueError(f"non-standard JSON constant {name}")


_decoder = json.JSONDecoder(parse_constant=_no_constants)


def encode(data: Any) -> bytes:
    """Serialize JSON-ready data (dict key order is kept: it is the record order)."""
    return _encoder.encode(data).encode("ascii")


def decode(payload: bytes) -> Any:
    """Parse bytes written by `encode` (or any UTF-8 JSON); ValueError if they are not."""
    return _decoder.decode(payload.decode("utf-8-sig"))


def copy(data: Any) -> Any:
    """A deep, JSON-normalized copy (tuples become lists); ValueError/TypeError if not JSON."""
    return _decoder.decode(_encoder.encode(data))
