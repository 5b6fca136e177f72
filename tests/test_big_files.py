"""A big new file written straight to disk where the system allows it (``fileio.BigFile``), else through the cache."""

from __future__ import annotations

import errno
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxculture import fileio

PIECES = st.lists(st.binary(max_size=3000) | st.integers(0, 40_000).map(lambda n: bytes([n % 251]) * n), max_size=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(PIECES, st.sampled_from([4096, 8192, 65_536]))
def test_the_file_holds_every_byte_written_in_order(tmp_path_factory, monkeypatch, pieces, chunk):
    monkeypatch.setattr(fileio.BigFile, "CHUNK", chunk)  # many chunks, and ends of every length
    path = tmp_path_factory.mktemp("big") / "out.jsonl"
    with fileio.BigFile(path) as out:
        for piece in pieces:
            assert out.write(piece) == len(piece)
        out.finish()
    assert path.read_bytes() == b"".join(pieces)


def test_a_file_system_refusing_direct_writes_gets_them_through_the_cache(tmp_path, monkeypatch):
    real_write, refused = os.write, []

    def write(handle, data):
        if not refused:  # the first direct write is refused, as some file systems do
            refused.append(len(data))
            raise OSError(errno.EINVAL, "Invalid argument")
        return real_write(handle, data)

    monkeypatch.setattr(fileio.BigFile, "CHUNK", 4096)
    monkeypatch.setattr(fileio.os, "write", write)
    data = os.urandom(3 * 4096 + 100)
    with fileio.BigFile(tmp_path / "out.jsonl") as out:
        out.write(data)
        out.finish()
    assert (tmp_path / "out.jsonl").read_bytes() == data
    assert refused == [4096] or not fileio._DIRECT  # a system without direct writes never tried one


def test_another_error_to_write_is_raised(tmp_path, monkeypatch):
    def full(handle, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fileio.os, "write", full)
    with fileio.BigFile(tmp_path / "out.jsonl") as out:
        out.write(b"x" * 100)
        with pytest.raises(OSError, match="No space"):
            out.finish()
    assert out.closed


def test_it_is_a_new_file_never_one_already_there(tmp_path):
    (tmp_path / "out.jsonl").write_bytes(b"theirs")
    with pytest.raises(FileExistsError):
        fileio.BigFile(tmp_path / "out.jsonl")
    assert (tmp_path / "out.jsonl").read_bytes() == b"theirs"
