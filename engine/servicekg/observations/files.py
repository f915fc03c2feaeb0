"""Opening an observation file: missing, unreadable, empty or not UTF-8, each said plainly."""

from __future__ import annotations

from pathlib import Path

from servicekg.errors import ObservationError, Problem

__all__ = ["file_error", "not_utf8", "read_bytes", "read_text"]

_BOM = b"\xef\xbb\xbf"


def file_error(label: str, message: str, accepted: tuple[str, ...] = ()) -> ObservationError:
    """An error about a file as a whole (no row, no field)."""
    return ObservationError([Problem(label, None, None, message, accepted)])


def read_bytes(path: Path, label: str) -> bytes:
    """The file's bytes; refuses a missing, unreadable or empty file."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise file_error(label, "no such file") from None
    except IsADirectoryError:
        raise file_error(label, "is a folder, not a file") from None
    except OSError as error:
        raise file_error(label, f"cannot be read: {error.strerror or error}") from None
    if not data.strip():
        raise file_error(label, "the file is empty")
    return data


def read_text(path: Path, label: str) -> str:
    """The file as text: UTF-8, with or without a byte-order mark; anything else is refused
    with the line of the first byte that is not UTF-8."""
    data = read_bytes(path, label)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise file_error(label, _not_utf8(data, error)) from None
    if not text.strip():
        raise file_error(label, "the file is empty")
    return text


def not_utf8(path: Path) -> str:
    """Why ``path`` is not UTF-8: the first offending byte and its line, and what to do."""
    data = path.read_bytes()
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return _not_utf8(data, error)
    return "is not UTF-8 text"


def _not_utf8(data: bytes, error: UnicodeDecodeError) -> str:
    data = data.removeprefix(_BOM)  # the codec counts from after the byte-order mark
    line = data.count(b"\n", 0, error.start) + 1
    return (
        f"is not UTF-8 text (byte 0x{data[error.start]:02x} on line {line}); re-save it as "
        "UTF-8 (in Excel: 'CSV UTF-8'; in LibreOffice: character set 'Unicode (UTF-8)')"
    )
