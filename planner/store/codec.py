"""The one place bytes become data and back.

The journal is written as compact ASCII JSON: any Python string (even one
holding a lone surrogate from a mis-encoded terminal argument) can be stored,
and the file is always valid UTF-8. Non-standard constants (NaN, Infinity)
are refused both ways, so the file stays readable by any JSON parser.

Reading uses msgspec's decoder (about twice as fast as `json` on a journal);
what it refuses (a lone surrogate's escape, a byte-order mark, a number too
large for a float) goes to `json`, which then decides, so what reads is exactly
what `json` reads. Writing stays with `json`: msgspec cannot escape to ASCII,
nor encode a lone surrogate.
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
    import msgspec  # here, not above: a read that decodes typed never needs this module's

    try:
        return msgspec.json.decode(payload)
    except (ValueError, RecursionError):  # msgspec's DecodeError is a ValueError
        pass
    return _decoder.decode(payload.decode("utf-8-sig"))


def copy(data: Any) -> Any:
    """A deep, JSON-normalized copy (tuples become lists); ValueError/TypeError if not JSON."""
    return _decoder.decode(_encoder.encode(data))
