"""Redis with a password and TLS (``rediss://``), as the README tells an operator to run it: the
live-update broker and the rate limits work through ``MESSE_REDIS_URL`` with both (issue 14, M2's
README part)."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from pathlib import Path

import pytest

from messe.live.redis_broker import RedisBroker
from messe.web.ratelimit import RateLimiter
from tests.conftest import in_ci
from tests.live.conftest import free_port, wait_for_port

PASSWORD = "et-langt-redis-kodeord"


@pytest.fixture
async def secured_redis(tmp_path: Path):
    """A throwaway redis-server that speaks only TLS and wants a password; its rediss:// URL."""
    for tool in ("redis-server", "openssl"):
        if shutil.which(tool) is None:
            message = f"{tool} is not installed"
            if in_ci():
                pytest.fail(message)
            pytest.skip(message)
    cert, key = tmp_path / "redis.crt", tmp_path / "redis.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    port = free_port()
    process = subprocess.Popen(["redis-server", "--port", "0", "--tls-port", str(port), "--tls-cert-file", str(cert),
                                "--tls-key-file", str(key), "--tls-ca-cert-file", str(cert), "--tls-auth-clients", "no",
                                "--requirepass", PASSWORD, "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
                               stdout=subprocess.DEVNULL)
    try:
        await wait_for_port(port)
        yield f"rediss://:{PASSWORD}@127.0.0.1:{port}/0?ssl_ca_certs={cert}"
    finally:
        process.terminate()
        process.wait(timeout=10)


async def test_live_updates_pass_through_redis_with_password_and_tls(secured_redis):
    url = secured_redis
    received: list[bytes] = []
    states: list[bool] = []
    listener, sender = RedisBroker(url, "messe-test"), RedisBroker(url, "messe-test")
    await listener.start(received.append, states.append)
    try:
        for _ in range(100):
            if listener.connected:
                break
            await asyncio.sleep(0.05)
        assert listener.connected
        await sender.publish(b'{"seq": 1}')
        for _ in range(100):
            if received:
                break
            await asyncio.sleep(0.05)
        assert received == [b'{"seq": 1}']
    finally:
        await listener.stop()
        await sender.stop()


async def test_rate_limits_count_in_redis_with_password_and_tls(secured_redis):
    url = secured_redis
    limiter = RateLimiter(url)
    results = [await limiter.hit("login", "anne") for _ in range(11)]
    assert results == [True] * 10 + [False], "the eleventh sign-in attempt is refused, so Redis counted"
