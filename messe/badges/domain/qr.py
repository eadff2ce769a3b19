"""A badge token as a QR code, drawn as one vector path: a rectangle per run of dark modules.

Where the time goes, and what we do about it (``qrcode`` alone takes about 11 ms per badge):

* ``qrcode`` tries all eight mask patterns; decoders read any mask, so we use one. Over 60 signed
  badge tokens mask 0 had the lowest average penalty score (1526, against 1536-1634 for the
  others), so it is the best single choice.
* The version follows from the token's length directly instead of by trial encoding.
* ``qrcode`` builds the codewords bit by bit and does Reed-Solomon with polynomial objects; we
  encode the (alphanumeric-only) data with integer arithmetic and a per-factor table.
* ``qrcode`` places the bits one module at a time; we let it draw each version's fixed patterns
  once, remember which data bit lands in which cell, and then build a matrix with one big-integer
  XOR (the mask) and one ``itemgetter`` call (the placement).
* The path is assembled from per-byte strings (8 modules of a row at a time) instead of being
  formatted run by run.
* Paths are cached per token: tokens are deterministic, so one token is one badge version.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from operator import getitem, itemgetter

from qrcode import QRCode, base, util
from qrcode.constants import ERROR_CORRECT_M

MASK = 0
MAX_VERSION = 10
ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


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


_PAIR_BITS = {a + b: format(45 * i + j, "011b") for i, a in enumerate(ALPHANUMERIC)
              for j, b in enumerate(ALPHANUMERIC)}
_PAIRS = re.compile("..", re.S)


@cache
def _blocks(version: int) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """Data capacity in bytes and each block's (start, end, error-correction bytes) at level M."""
    spans, start = [], 0
    for block in base.rs_blocks(version, ERROR_CORRECT_M):
        spans.append((start, start + block.data_count, block.total_count - block.data_count))
        start += block.data_count
    return start, tuple(spans)


def _stream(text: str, version: int) -> bytes:
    """Data codewords of ``text`` (alphanumeric mode, level M), then each block's error correction."""
    capacity, spans = _blocks(version)
    count_bits = 9 if version < 10 else 11
    try:
        bits = "0010" + format(len(text), f"0{count_bits}b") + "".join(map(_PAIR_BITS.__getitem__,
                                                                            _PAIRS.findall(text)))
        if len(text) % 2:
            bits += format(ALPHANUMERIC.index(text[-1]), "06b")
    except (KeyError, ValueError):
        raise ValueError("only QR alphanumeric characters can be encoded") from None
    length = len(bits)
    if length > 8 * capacity:
        raise ValueError("too much data for this QR version")
    terminator = min(4, 8 * capacity - length)
    terminator += -(length + terminator) % 8
    length += terminator
    data = (int(bits, 2) << terminator).to_bytes(length // 8, "big")
    data += bytes((0xEC, 0x11) * capacity)[: capacity - length // 8]
    return data + b"".join([_ecc(data[a:b], ecc) for a, b, ecc in spans])


def _interleaving(version: int) -> list[int]:
    """For each codeword in the order a QR code holds them, its index in ``_stream``'s order."""
    capacity, spans = _blocks(version)
    ecc_starts, at = [], capacity
    for _, _, ecc in spans:
        ecc_starts.append(at)
        at += ecc
    order = [a + i for i in range(max(b - a for a, b, _ in spans)) for a, b, _ in spans if a + i < b]
    order += [start + i for i in range(max(ecc for *_, ecc in spans))
              for start, (*_, ecc) in zip(ecc_starts, spans, strict=True) if i < ecc]
    return order


def codewords(text: str, version: int) -> list[int]:
    """Data and error-correction codewords of ``text`` in alphanumeric mode at level M, interleaved."""
    stream = _stream(text, version)
    return [stream[i] for i in _interleaving(version)]


@dataclass(frozen=True)
class _Template:
    """One version's fixed parts at mask ``MASK``: where each cell's value comes from."""

    size: int
    data_modules: int  # cells that carry data (and remainder) bits
    mask: int  # the mask's bit for every cell (rows padded to whole bytes), as one integer
    gather: Callable[[bytes], tuple[int, ...]]  # bits of ``_stream`` + b"01" -> every cell, row by row


@cache
def _template(version: int) -> _Template:
    """What ``qrcode`` would draw for ``version`` at level M and mask ``MASK``, cell by cell.

    Function patterns, format and version information are fixed per version; data cells are
    visited in ``qrcode``'s own placement order (``QRCode.map_data``) and remembered by index.
    """
    code = QRCode(version=version, error_correction=ERROR_CORRECT_M, mask_pattern=MASK, border=0)
    n = code.modules_count = version * 4 + 17
    code.modules = [[None] * n for _ in range(n)]
    code.setup_position_probe_pattern(0, 0)
    code.setup_position_probe_pattern(n - 7, 0)
    code.setup_position_probe_pattern(0, n - 7)
    code.setup_position_adjust_pattern()
    code.setup_timing_pattern()
    code.setup_type_info(False, MASK)
    if version >= 7:
        code.setup_type_number(False)
    fixed: list[list[bool | None]] = code.modules
    mask_func = util.mask_func(MASK)
    order: list[tuple[int, int]] = []
    inc, row = -1, n - 1
    for col in range(n - 1, 0, -2):
        if col <= 6:
            col -= 1
        while True:
            for c in (col, col - 1):
                if fixed[row][c] is None:
                    order.append((row, c))
            row += inc
            if row < 0 or n <= row:
                row -= inc
                inc = -inc
                break
    # The i-th data cell holds bit i of the interleaved codewords (then remainder bits, 0).
    interleaving = _interleaving(version)
    count = 8 * len(interleaving)  # in the gather's source: ``count`` is a light cell, +1 dark
    source = {cell: 8 * interleaving[i // 8] + i % 8 if i < count else count for i, cell in enumerate(order)}
    # Rows padded to whole bytes with light cells, so a row's 8-module chunks are its bytes.
    padded = 8 * ((n + 7) // 8)
    gather, mask = [], 0
    for r in range(n):
        for c in range(padded):
            value = fixed[r][c] if c < n else False
            gather.append(source[(r, c)] if value is None else count + bool(value))
            mask = (mask << 1) | (value is None and bool(mask_func(r, c)))
    return _Template(n, len(order), mask, itemgetter(*gather))


def _rows(text: str) -> tuple[int, bytes]:
    """Side length and the rows from the top, each as whole bytes (dark = 1, first module highest)."""
    version = _version_for(len(text))
    t = _template(version)
    stream = _stream(text, version)
    source = format(int.from_bytes(stream, "big"), f"0{8 * len(stream)}b").encode("ascii") + b"01"
    cells = bytes(t.gather(source))
    return t.size, (int(cells, 2) ^ t.mask).to_bytes(len(cells) // 8, "big")


def qr_matrix(text: str) -> list[list[bool]]:
    """The modules of ``text`` (QR alphanumeric characters only), row by row from the top."""
    size, rows = _rows(text)
    chunks = (size + 7) // 8
    bits = "".join(format(byte, "08b") for byte in rows)
    return [[bit == "1" for bit in bits[8 * chunks * r : 8 * chunks * r + size]] for r in range(size)]


@cache
def _chunk_ops(size: int) -> tuple[int, list[list[str]]]:
    """For each 8-module chunk of a row and each of its 256 values, its runs as ``re`` operators.

    ``Y`` stands for the row's y, filled in per row. Runs are cut at chunk edges; the filled area
    (one path, nonzero rule) is the same as with whole-row runs.
    """
    chunks = (size + 7) // 8
    table = []
    for k in range(chunks):
        ops = []
        for value in range(256):
            bits = format(value, "08b")
            ops.append("".join(f"{8 * k + m.start()} Y {m.end() - m.start()} 1 re\n"
                               for m in re.finditer("1+", bits) if 8 * k + m.start() < size))
        table.append(ops)
    return chunks, table


def _path_ops(size: int, rows: bytes) -> str:
    chunks, table = _chunk_ops(size)
    parts = [
        "".join(map(getitem, table, rows[i : i + chunks])).replace("Y", str(y))
        for i, y in zip(range(0, size * chunks, chunks), range(size - 1, -1, -1), strict=True)
    ]
    return "".join(parts).rstrip("\n")


def path_ops(matrix: list[list[bool]]) -> str:
    """Dark modules as ``re`` operators, each horizontal run of modules (within 8) one rectangle."""
    size = len(matrix)
    chunks = (size + 7) // 8
    bits = "".join("".join("1" if cell else "0" for cell in row).ljust(8 * chunks, "0") for row in matrix)
    return _path_ops(size, int(bits, 2).to_bytes(size * chunks, "big"))


@lru_cache(maxsize=4096)
def qr_path(token: str) -> QrPath:
    size, rows = _rows(token)
    return QrPath(size, _path_ops(size, rows))
