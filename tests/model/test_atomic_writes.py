"""One atomic writer for every file: through a symbolic link it writes the link's target and keeps the link,
it keeps the permissions of the file it replaces, and a failure leaves the old file as it was."""

from __future__ import annotations

import os
import stat

import pytest

from neuroviz.model import Network, NetworkFileError, tables
from neuroviz.model.atomic import atomic_write
from neuroviz.model.errors import FileWriteError


def _network() -> Network:
    return Network.from_sizes([2, 3, 1], activations=["tanh", "sigmoid"], seed=3, name="linked")


def _save_json(path):
    _network().save(path)


def _save_keras(path):
    _network().save(path)


def _save_csv(path):
    net = _network()
    tables.write_csv(path, *tables.activations_table(net))


WRITERS = {"network.json": _save_json, "model.keras": _save_keras, "table.csv": _save_csv}


def _is_written(name, path) -> bool:
    if name == "table.csv":
        return path.read_text(encoding="utf-8").startswith("layer,")
    return Network.load(path).name == "linked"


@pytest.mark.parametrize("name", WRITERS)
def test_saving_through_a_link_writes_its_target_and_keeps_the_link(tmp_path, name):
    real_folder = tmp_path / "real"
    real_folder.mkdir()
    target = real_folder / name
    target.write_bytes(b"old contents")
    link = tmp_path / f"link-{name}"
    link.symlink_to(os.path.relpath(target, tmp_path))
    WRITERS[name](link)
    assert link.is_symlink(), "the link was replaced by a regular file"
    assert os.readlink(link) == os.path.relpath(target, tmp_path)
    assert target.read_bytes() != b"old contents"
    assert _is_written(name, target)
    assert sorted(p.name for p in real_folder.iterdir()) == [name], "no temporary file is left behind"


@pytest.mark.parametrize("name", WRITERS)
def test_a_chain_of_links_and_a_dangling_link_reach_the_final_file(tmp_path, name):
    final = tmp_path / f"final-{name}"
    middle = tmp_path / f"middle-{name}"
    first = tmp_path / f"first-{name}"
    middle.symlink_to(final)
    first.symlink_to(middle)
    WRITERS[name](first)  # final does not exist yet: the dangling chain is followed and the file made
    assert first.is_symlink() and middle.is_symlink()
    assert _is_written(name, final)


@pytest.mark.parametrize("name", WRITERS)
@pytest.mark.parametrize("mode", [0o640, 0o600, 0o664])
def test_replacing_a_file_keeps_its_permissions(tmp_path, name, mode):
    path = tmp_path / name
    path.write_bytes(b"old")
    path.chmod(mode)
    WRITERS[name](path)
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert _is_written(name, path)


def test_a_new_file_gets_the_permissions_the_umask_allows(tmp_path):
    old = os.umask(0o027)
    try:
        atomic_write(tmp_path / "new.bin", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.bin").stat().st_mode) == 0o640


def test_a_failure_while_writing_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(b"precious")
    link = tmp_path / "link.csv"
    link.symlink_to(path)

    def half_then_fail(stream):
        stream.write(b"half of the new con")
        raise OSError(28, "No space left on device")

    with pytest.raises(FileWriteError, match="No space left on device"):
        atomic_write(link, half_then_fail)
    assert path.read_bytes() == b"precious"
    assert link.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.csv", "link.csv"]


def test_an_exception_from_the_writer_function_propagates_and_keeps_the_old_file(tmp_path):
    path = tmp_path / "data.bin"
    path.write_bytes(b"precious")

    def broken(stream):
        stream.write(b"new")
        raise ValueError("a bug in the writer")

    with pytest.raises(ValueError, match="a bug in the writer"):
        atomic_write(path, broken)
    assert path.read_bytes() == b"precious"
    assert [p.name for p in tmp_path.iterdir()] == ["data.bin"]


def test_a_writer_function_streams_into_the_file(tmp_path):
    def pieces(stream):
        for i in range(3):
            stream.write(f"{i};".encode())

    atomic_write(tmp_path / "s.txt", pieces)
    assert (tmp_path / "s.txt").read_bytes() == b"0;1;2;"


def test_a_network_save_into_a_link_to_a_missing_folder_says_which_folder(tmp_path):
    link = tmp_path / "net.json"
    link.symlink_to(tmp_path / "gone" / "net.json")
    with pytest.raises(NetworkFileError, match=r"cannot write in the folder .*gone.: No such file or directory"):
        _network().save(link)
    assert link.is_symlink()


def test_a_link_to_a_folder_is_refused(tmp_path):
    (tmp_path / "folder.csv").mkdir()
    (tmp_path / "link.csv").symlink_to(tmp_path / "folder.csv")
    with pytest.raises(tables.ExportError, match=r"link\.csv: it is a folder"):
        _save_csv(tmp_path / "link.csv")
    assert (tmp_path / "link.csv").is_symlink()
