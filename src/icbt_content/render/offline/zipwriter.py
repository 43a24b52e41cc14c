"""A zip of files, byte for byte what :mod:`zipfile` writes, each entry compressed on its own.

Each entry of a zip is compressed on its own, so a process that makes nearly the same zip again
and again (the preview, after a one-page edit: every page of the programme's keep-a-copy but
one is unchanged) can keep the compressed entries: :class:`DeflateMemo` compresses a file's bytes
once. Without a memo the zip is made by :mod:`zipfile` itself.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections import OrderedDict

#: Compression level of the entries (zlib's best).
LEVEL = 9
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_VERSION = 20  # zipfile's DEFAULT_VERSION: deflate
_UNIX = 3
_UTF8_NAME = 0x800
#: At most this many entries (or 64 KiB of zip structures) are written here; larger zips, as
#: zipfile writes them, carry zip64 records.
_MAX_ENTRIES = 0xFFFF
_MAX_SIZE = 0x7FFFFFFF


class DeflateMemo:
    """The compressed form of recent files' bytes, at most ``limit`` bytes of them kept."""

    def __init__(self, limit: int = 64 * 1024 * 1024) -> None:
        self.limit = limit
        self._kept: OrderedDict[bytes, tuple[bytes, int]] = OrderedDict()
        self._size = 0

    def deflate(self, data: bytes) -> tuple[bytes, int]:
        """``data`` compressed as a zip entry, and its CRC-32."""
        known = self._kept.get(data)
        if known is not None:
            self._kept.move_to_end(data)
            return known
        compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
        value = (compressor.compress(data) + compressor.flush(), zlib.crc32(data))
        self._kept[data] = value
        self._size += len(data) + len(value[0])
        while self._size > self.limit and self._kept:
            old, (packed, _) = self._kept.popitem(last=False)
            self._size -= len(old) + len(packed)
        return value


def zip_bytes(
    entries: list[tuple[str, bytes]],
    date_time: tuple[int, int, int, int, int, int],
    memo: DeflateMemo | None = None,
) -> bytes:
    """A zip of ``entries`` (name, bytes), in that order, each dated ``date_time``, deflated at
    :data:`LEVEL`, mode 0644: what :func:`zipfile_bytes` gives, compressing through ``memo``."""
    if memo is None or len(entries) > _MAX_ENTRIES:
        return zipfile_bytes(entries, date_time)
    year, month, day, hour, minute, second = date_time
    dosdate = (year - 1980) << 9 | month << 5 | day
    dostime = hour << 11 | minute << 5 | (second // 2)
    out = io.BytesIO()
    central = []
    for name, data in entries:
        packed, crc = memo.deflate(data)
        if max(len(data), len(packed), out.tell()) > _MAX_SIZE:
            return zipfile_bytes(entries, date_time)
        try:
            encoded, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            encoded, flags = name.encode("utf-8"), _UTF8_NAME
        offset = out.tell()
        out.write(
            _LOCAL.pack(
                b"PK\003\004",
                _VERSION,
                0,
                flags,
                zipfile.ZIP_DEFLATED,
                dostime,
                dosdate,
                crc,
                len(packed),
                len(data),
                len(encoded),
                0,
            )
        )
        out.write(encoded)
        out.write(packed)
        central.append(
            _CENTRAL.pack(
                b"PK\001\002",
                _VERSION,
                _UNIX,
                _VERSION,
                0,
                flags,
                zipfile.ZIP_DEFLATED,
                dostime,
                dosdate,
                crc,
                len(packed),
                len(data),
                len(encoded),
                0,
                0,
                0,
                0,
                0o644 << 16,
                offset,
            )
            + encoded
        )
    start = out.tell()
    for record in central:
        out.write(record)
    size = out.tell() - start
    out.write(_END.pack(b"PK\005\006", 0, 0, len(entries), len(entries), size, start, 0))
    return out.getvalue()


def zipfile_bytes(
    entries: list[tuple[str, bytes]], date_time: tuple[int, int, int, int, int, int]
) -> bytes:
    """The zip :mod:`zipfile` writes of ``entries`` (see :func:`zip_bytes`)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=LEVEL)
    return buffer.getvalue()
