"""Signed badge tokens: round trip, every refusal with its own reason, size, documented layout."""

from __future__ import annotations

import struct

import pytest

from messe.badges.domain import base45
from messe.badges.domain.qr import ALPHANUMERIC, _version_for, codewords
from messe.badges.domain.tokens import (
    BAD_SIGNATURE,
    MALFORMED,
    OTHER_EVENT,
    PREFIX,
    SUPERSEDED,
    derive_private_key,
    public_key_bytes,
    read_unverified,
    sign_badge,
    verify_badge,
)
from messe.common.refusal import Refusal
from tests.badges.pdfcheck import tricky_names

SECRET = "a-test-secret-of-decent-length"
KEY = derive_private_key(SECRET, "messe13")
PUBLIC = public_key_bytes(KEY)


def token(attendee_id: int = 42, version: int = 1, slug: str = "messe13", name: str = "Åse Bækgaard",
          organisation: str = "Læsø Kommune", key=KEY) -> str:
    return sign_badge(key, attendee_id, version, slug, name, organisation)


def refusal(payload: str, **kwargs) -> Refusal:
    with pytest.raises(Refusal) as caught:
        verify_badge(payload, kwargs.pop("key", PUBLIC), kwargs.pop("slug", "messe13"), **kwargs)
    assert caught.value.message, "every refusal has a Danish message"
    return caught.value


def test_a_signed_badge_verifies_and_says_what_is_printed():
    claims = verify_badge(token(), PUBLIC, "messe13", current_version=1)
    assert (claims.attendee_id, claims.version, claims.event_slug) == (42, 1, "messe13")
    assert (claims.name, claims.organisation) == ("Åse Bækgaard", "Læsø Kommune")


def test_the_key_is_derived_from_the_secret_and_differs_per_event():
    assert public_key_bytes(derive_private_key(SECRET, "messe13")) == PUBLIC
    assert public_key_bytes(derive_private_key(SECRET, "messe14")) != PUBLIC
    assert public_key_bytes(derive_private_key("another-secret", "messe13")) != PUBLIC
    assert len(PUBLIC) == 32
    with pytest.raises(ValueError):
        derive_private_key("", "messe13")


def test_a_tampered_badge_is_refused_as_bad_signature():
    raw = bytearray(base45.decode(token()[len(PREFIX):]))
    raw[17] ^= 0x01  # one bit of the name: "Åse" becomes "Äse"
    assert refusal(PREFIX + base45.encode(bytes(raw))).reason == BAD_SIGNATURE
    raw = bytearray(base45.decode(token()[len(PREFIX):]))
    raw[-1] ^= 0x80  # one bit of the signature
    assert refusal(PREFIX + base45.encode(bytes(raw))).reason == BAD_SIGNATURE


def test_a_forged_badge_signed_with_another_key_is_refused_as_bad_signature():
    forged = token(key=derive_private_key("guessed-secret", "messe13"))
    assert refusal(forged).reason == BAD_SIGNATURE


def test_a_badge_of_another_event_is_refused_as_other_event():
    other = token(slug="messe12", key=derive_private_key(SECRET, "messe12"))
    refused = refusal(other)
    assert refused.reason == OTHER_EVENT
    assert "messe12" in refused.message
    # Same event slug in the body but signed for another event: still refused.
    assert refusal(token(key=derive_private_key(SECRET, "messe12"))).reason == BAD_SIGNATURE


def test_an_older_version_is_refused_as_superseded_after_a_reprint():
    old, new = token(version=1), token(version=2)
    refused = refusal(old, current_version=2)
    assert refused.reason == SUPERSEDED and "version 2" in refused.message
    assert verify_badge(new, PUBLIC, "messe13", current_version=2).version == 2
    assert verify_badge(old, PUBLIC, "messe13").version == 1  # offline: no current version known


@pytest.mark.parametrize("payload", [
    "", "hello", "https://example.com/", "M1:", "M1:AB", "M2:" + "0" * 150, "M1:" + "a" * 150,
    "M1:" + "0" * 151, "M1:" + ":::" * 50,
])
def test_anything_else_is_refused_as_malformed(payload):
    assert refusal(payload).reason == MALFORMED


def test_truncated_and_padded_tokens_are_malformed():
    raw = base45.decode(token()[len(PREFIX):])
    assert refusal(PREFIX + base45.encode(raw[:-1])).reason == MALFORMED
    assert refusal(PREFIX + base45.encode(raw[:20])).reason == MALFORMED
    body_len = len(raw) - 64
    padded = raw[:body_len] + b"\x00" + raw[body_len:]
    assert refusal(PREFIX + base45.encode(padded)).reason == MALFORMED


def test_the_byte_layout_is_the_documented_one():
    """What a scanner written in another language relies on (see the tokens module docstring)."""
    payload = token(attendee_id=1234, version=3, name="Şükrü Yılmaz", organisation="Ishøj Kommune")
    assert payload.startswith("M1:") and set(payload) <= set(ALPHANUMERIC)
    raw = base45.decode(payload[3:])
    body, signature = raw[:-64], raw[-64:]
    assert struct.unpack(">BIH", body[:7]) == (1, 1234, 3)
    pos, fields = 7, []
    for _ in range(3):
        fields.append(body[pos + 1 : pos + 1 + body[pos]].decode())
        pos += 1 + body[pos]
    assert fields == ["messe13", "Şükrü Yılmaz", "Ishøj Kommune"] and pos == len(body)
    KEY.public_key().verify(signature, body)  # exactly the body is signed


def test_base45_matches_rfc_9285():
    for plain, encoded in [(b"AB", "BB8"), (b"Hello!!", "%69 VD92EX0"), (b"base-45", "UJCLQE7W581"),
                           (b"ietf!", "QED8WEX0")]:
        assert base45.encode(plain) == encoded
        assert base45.decode(encoded) == plain
    for bad in ("GGW", "A", "abc"):
        with pytest.raises(ValueError):
            base45.decode(bad)


@pytest.mark.parametrize("person", tricky_names(), ids=lambda p: p["name"][:20])
def test_every_seeded_name_fits_a_small_qr(person):
    payload = token(name=person["name"], organisation=person["organisation"])
    claims = verify_badge(payload, PUBLIC, "messe13")
    assert _version_for(len(payload)) <= 10
    assert (claims.name, claims.organisation) == (person["name"], person["organisation"])


@pytest.mark.parametrize("name, organisation", [
    ("王" * 200, "北京大学" * 50),
    ("Maximilian Frederik Christian Valdemar Rosenkrantz-Gyldenstierne Schackenborg Hvidtfeldt " * 3,
     "Styrelsen for Dataforsyning og Infrastruktur " * 5),
    ("محمد " * 60, ""),
    ("", "Ærø Kommune " * 30),
])
def test_very_long_names_are_cut_inside_the_code_but_still_fit(name, organisation):
    slug = "a-very-long-event-slug-of-forty-chars-xx"
    payload = sign_badge(derive_private_key(SECRET, slug), 2**31 - 1, 65535, slug, name, organisation)
    assert len(payload) <= 311 and _version_for(len(payload)) <= 10
    assert len(codewords(payload, _version_for(len(payload)))) > 0
    claims = read_unverified(payload)
    for printed, carried in ((name, claims.name), (organisation, claims.organisation)):
        if carried != printed:
            assert carried.endswith("…") and printed.startswith(carried[:-1])
    assert claims.name or not name, "the name keeps at least a good part"


def _painted(path) -> list[list[bool]]:
    """The modules a QR path fills (rows from the top), refusing overlapping rectangles."""
    n = path.modules
    grid = [[False] * n for _ in range(n)]
    for op in path.ops.split("\n"):
        x, y, w, h, name = op.split()
        assert name == "re" and h == "1"
        for col in range(int(x), int(x) + int(w)):
            assert not grid[n - 1 - int(y)][col], "rectangles overlap"
            grid[n - 1 - int(y)][col] = True
    return grid


def test_our_fast_qr_encoding_equals_qrcodes_own():
    """We hand qrcode precomputed codewords; they must be exactly the ones it would compute."""
    import random

    from qrcode import QRCode, util
    from qrcode.constants import ERROR_CORRECT_M

    from messe.badges.domain.qr import MASK, qr_matrix, qr_path

    rng = random.Random(4)
    for length in (*range(1, 60), *range(60, 312, 7), 311):
        text = "".join(rng.choice(ALPHANUMERIC) for _ in range(length))
        version = _version_for(length)
        data = [util.QRData(text, mode=util.MODE_ALPHA_NUM)]
        assert codewords(text, version) == util.create_data(version, ERROR_CORRECT_M, data), length
        if length % 10 == 1 or length == 311:
            reference = QRCode(version=version, error_correction=ERROR_CORRECT_M, mask_pattern=MASK, border=0)
            reference.add_data(data[0])
            reference.make(fit=False)
            assert qr_matrix(text) == reference.modules, length
            assert _painted(qr_path(text)) == reference.modules, length
    with pytest.raises(ValueError):
        _version_for(312)
