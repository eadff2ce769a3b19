"""A badge token as a QR code, drawn as one vector path: a rectangle per run of dark modules.

Where the time goes, and what we do about it (``qrcode`` alone takes about 11 ms per badge):

* ``qrcode`` tries all eight mask patterns; decoders read any mask, so we use one. Over 60 signed
  badge tokens mask 0 had the lowest average penalty score (1526, against 1536-1634 for the
  others), so it is the best single choice.
* The version follows from the token's length directly instead of by trial encoding.
* ``qrcode`` builds the codewords bit by bit and does Reed-Solomon with polynomial objects; we
  encode the (alphanumeric-only) data with integer arithmetic and a per-factor table, and hand
  the codewords to ``qrcode`` to place them in the matrix.
* Paths are cached per token: tokens are deterministic, so one token is one badge version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from qrcode import QRCode, base, util
from qrcode.constants import ERROR_CORRECT_M

MASK = 0
MAX_VERSION = 10
ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_ALNUM_VALUE = {c: i for i, c in enumerate(ALPHANUMERIC)}
_DARK_RUN = re.compile(rb"\x01+")


@dataclass(frozen=True)
class QrPath:
    """PDF path operators for the dark modules, one unit per module, origin bottom-left."""

    modules: int
    ops: str


def _version_for(length: int) -> int:
    """The smallest QR version holding ``length`` alphanumeric characters at level M."""
    data_bits = 11 * (length // 2) + 6 * (length % 2)
    for version in range(1, MAX_VERSION + 1):
        count_bits = 9 if version < 10 else 11
        if 4 + count_bits + data_bits <= util.BIT_LIMIT_TABLE[ERROR_CORRECT_M][version]:
            return version
    raise ValueError(f"{length} characters do not fit a QR code of version {MAX_VERSION} at level M")


@cache
def _gf_tables() -> tuple[list[int], list[int]]:
    """Exponentials and logarithms in GF(256) with the QR polynomial x⁸+x⁴+x³+x²+1."""
    exp, log = [0] * 512, [0] * 256
    value = 1
    for i in range(255):
        exp[i] = exp[i + 255] = value
        log[value] = i
        value <<= 1
        if value & 0x100:
            value ^= 0x11D
    return exp, log


@cache
def _rs_table(ecc: int) -> list[int]:
    """For each feedback byte, the generator polynomial times it, packed into one integer."""
    exp, log = _gf_tables()
    gen = [1]
    for i in range(ecc):  # multiply by (x - αⁱ)
        gen = [a ^ (exp[log[b] + i] if b else 0) for a, b in zip([*gen, 0], [0, *gen], strict=True)]
    coefficients = gen[1:]  # gen[0] is 1
    return [int.from_bytes(bytes(exp[log[c] + log[f]] if c and f else 0 for c in coefficients), "big")
            for f in range(256)]


def _ecc(data: bytes, ecc: int) -> bytes:
    table, top, mask = _rs_table(ecc), 8 * (ecc - 1), (1 << 8 * ecc) - 1
    remainder = 0
    for byte in data:
        remainder = ((remainder << 8) & mask) ^ table[byte ^ (remainder >> top)]
    return remainder.to_bytes(ecc, "big")


def codewords(text: str, version: int) -> list[int]:
    """Data and error-correction codewords of ``text`` in alphanumeric mode at level M, interleaved."""
    blocks = base.rs_blocks(version, ERROR_CORRECT_M)
    capacity = 8 * sum(block.data_count for block in blocks)
    values = [_ALNUM_VALUE[c] for c in text]
    bits, length = 0b0010, 4  # mode indicator: alphanumeric
    count_bits = 9 if version < 10 else 11
    bits, length = (bits << count_bits) | len(text), length + count_bits
    for i in range(0, len(values) - 1, 2):
        bits, length = (bits << 11) | (values[i] * 45 + values[i + 1]), length + 11
    if len(values) % 2:
        bits, length = (bits << 6) | values[-1], length + 6
    if length > capacity:
        raise ValueError("too much data for this QR version")
    terminator = min(4, capacity - length) + (-(length + min(4, capacity - length)) % 8)
    bits, length = bits << terminator, length + terminator
    data = bits.to_bytes(length // 8, "big") + bytes((0xEC, 0x11) * capacity)[: (capacity - length) // 8]
    data_blocks, ecc_blocks, start = [], [], 0
    for block in blocks:
        chunk = data[start : start + block.data_count]
        start += block.data_count
        data_blocks.append(chunk)
        ecc_blocks.append(_ecc(chunk, block.total_count - block.data_count))
    return [b[i] for group in (data_blocks, ecc_blocks) for i in range(max(map(len, group)))
            for b in group if i < len(b)]


def qr_matrix(text: str) -> list[list[bool]]:
    """The modules of ``text`` (QR alphanumeric characters only), row by row from the top."""
    version = _version_for(len(text))
    code = QRCode(version=version, error_correction=ERROR_CORRECT_M, mask_pattern=MASK, border=0)
    code.data_cache = codewords(text, version)  # qrcode places given codewords as they are
    code.makeImpl(False, MASK)
    return code.modules


def path_ops(matrix: list[list[bool]]) -> str:
    """Dark modules as ``re`` operators, each horizontal run of modules one rectangle."""
    size = len(matrix)
    return "\n".join(f"{run.start()} {size - 1 - r} {run.end() - run.start()} 1 re"
                     for r, row in enumerate(matrix) for run in _DARK_RUN.finditer(bytes(row)))


@lru_cache(maxsize=4096)
def qr_path(token: str) -> QrPath:
    matrix = qr_matrix(token)
    return QrPath(len(matrix), path_ops(matrix))
