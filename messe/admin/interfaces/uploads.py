"""Reading the file of an upload form."""

from __future__ import annotations

from starlette.datastructures import FormData, UploadFile


async def uploaded_file(form: FormData, name: str = "file") -> tuple[str, bytes] | None:
    """The chosen file's name and content; None when no file (or an empty one) was sent."""
    upload = form.get(name)
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    content = await upload.read()
    return (upload.filename, content) if content else None
