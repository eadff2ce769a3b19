"""A fake camera for Chromium: a Y4M video of a badge's QR code (see shared/NOTES.md).

Chromium plays the file in a loop when launched with ``--use-file-for-fake-video-capture``; the
QR is drawn with the badges' own encoder, so the phone decodes exactly what a printed badge holds.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from messe.badges.domain.qr import qr_matrix

WIDTH, HEIGHT = 640, 480
QUIET_ZONE = 4  # modules of white around the code


def qr_image(text: str, size: int = 440) -> Image.Image:
    """``text`` as a black-on-white QR code, centred on a camera-sized grey frame."""
    matrix = qr_matrix(text)
    modules = len(matrix) + 2 * QUIET_ZONE
    code = Image.new("L", (modules, modules), 255)
    code.putdata([0 if (0 <= r - QUIET_ZONE < len(matrix) and 0 <= c - QUIET_ZONE < len(matrix)
                        and matrix[r - QUIET_ZONE][c - QUIET_ZONE]) else 255
                  for r in range(modules) for c in range(modules)])
    scale = size // modules
    code = code.resize((modules * scale, modules * scale), Image.NEAREST)
    frame = Image.new("L", (WIDTH, HEIGHT), 200)
    frame.paste(code, ((WIDTH - code.width) // 2, (HEIGHT - code.height) // 2))
    return frame.convert("RGB")


def write_y4m(path: Path, *texts: str, frames: int = 5) -> Path:
    """A 10 fps video showing each text's QR code for ``frames`` frames in turn (Chromium loops it)."""
    half = (WIDTH // 2, HEIGHT // 2)
    video = [f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode()]
    for text in texts:
        y, cb, cr = qr_image(text).convert("YCbCr").split()
        video.append((b"FRAME\n" + y.tobytes() + cb.resize(half).tobytes() + cr.resize(half).tobytes()) * frames)
    path.write_bytes(b"".join(video))
    return path
