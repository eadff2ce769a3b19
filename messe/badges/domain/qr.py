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
_ALNUM_VALUE = {c: i for i, c in enumerate(ALPHANUMERIC)}


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


@dataclass(frozen=True)
class _Template:
    """One version's fixed parts at mask ``MASK``: where each cell's value comes from."""

    size: int
    data_modules: int  # cells that carry data (and remainder) bits
    mask: int  # the mask's bit for each data cell, in placement order, as one integer
    gather: Callable[[bytes], tuple[int, ...]]  # data bits + b"01" -> every cell, row by row


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
    count = len(order)
    index = {cell: i for i, cell in enumerate(order)}
    mask = 0
    for r, c in order:
        mask = (mask << 1) | bool(mask_func(r, c))
    # Rows padded to whole bytes with light cells, so a row's 8-module chunks are its bytes.
    padded = 8 * ((n + 7) // 8)
    gather = [count if c >= n else count + bool(fixed[r][c]) if fixed[r][c] is not None else index[(r, c)]
              for r in range(n) for c in range(padded)]
    return _Template(n, count, mask, itemgetter(*gather))


def _rows(text: str) -> tuple[int, bytes]:
    """Side length and the rows from the top, each as whole bytes (dark = 1, first module highest)."""
    version = _version_for(len(text))
    t = _template(version)
    data = codewords(text, version)
    bits = (int.from_bytes(bytes(data), "big") << (t.data_modules - 8 * len(data))) ^ t.mask
    source = format(bits, f"0{t.data_modules}b").encode("ascii") + b"01"
    cells = bytes(t.gather(source))
    return t.size, int(cells, 2).to_bytes(len(cells) // 8, "big")


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
