"""datasets.load_csv: good files load with their names; every malformed file says what is wrong and where."""

import os
import sys

import numpy as np
import pytest

from neuroviz.model import datasets
from neuroviz.model.datasets import DatasetError, load_csv


def write(tmp_path, content, name="data.csv"):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_class_names_become_indices_and_are_kept(tmp_path):
    path = write(tmp_path, "a,b,kind\n1,2,dog\n3,4.5,cat\n-1e2,.5,dog\n")
    data = load_csv(path, target="kind")
    assert data.class_names == ("cat", "dog") and data.y.tolist() == [1, 0, 1]
    assert data.x.tolist() == [[1, 2], [3, 4.5], [-100, 0.5]] and data.feature_names == ("a", "b")
    assert data.kind == "classification" and data.target_name == "kind" and data.name == "data.csv"


def test_target_in_any_column_and_default_last(tmp_path):
    path = write(tmp_path, "y,a,b\n0.5,1,2\n1.25,3,4\n")
    data = load_csv(path, target="y")
    assert data.kind == "regression" and data.y.tolist() == [0.5, 1.25] and data.feature_names == ("a", "b")
    assert load_csv(path).target_name == "b"


def test_whole_number_targets_are_classes_unless_regression_is_asked(tmp_path):
    path = write(tmp_path, "a,label\n1,2\n2,0\n3,2\n")
    data = load_csv(path)
    assert data.class_names == ("0", "2") and data.y.tolist() == [1, 0, 1]
    assert load_csv(path, kind="regression").y.tolist() == [2, 0, 2]


def test_bom_quotes_blank_lines_and_crlf_are_fine(tmp_path):
    path = write(tmp_path, '\ufeff"a","b c",t\r\n\r\n" 1 ",2,"x, y"\r\n3,4,z\r\n\r\n')
    data = load_csv(path, target="t")
    assert data.feature_names == ("a", "b c") and data.class_names == ("x, y", "z")


@pytest.mark.parametrize(
    ("content", "target", "message"),
    [
        ("", None, "is empty"),
        ("\n\n  \n", None, "is empty"),
        ("a,b,t\n", None, "a header but no data rows"),
        ("a,b,t\n1,2,x\n3,4\n", None, "row 3: expected 3 values like the header, got 2"),
        ("a,b,t\n1,2,x\n3,4,y,5\n", None, "row 3: expected 3 values like the header, got 4"),
        ("a,b,t\n1,2,x\n1,n/a,y\n", None, "row 3, column \"b\": 'n/a' is not a number"),
        ("a,b,t\n1,2,x\n1,,y\n", None, 'row 3, column "b": the value is missing'),
        ("a,b,t\n1,nan,x\n1,2,y\n", None, "row 2, column \"b\": 'nan' is not a finite number"),
        ("a,b,t\n1,-inf,x\n1,2,y\n", None, "row 2, column \"b\": '-inf' is not a finite number"),
        ("a,b,t\n1,1e999,x\n1,2,y\n", None, 'row 2, column "b": .* too large to represent'),
        ("a,b,t\n1,1_000,x\n1,2,y\n", None, "'1_000' is not a number"),
        ("a,b,t\n1,0x1F,x\n1,2,y\n", None, "'0x1F' is not a number"),
        ("a,b,t\n1,2,x\n3,4,x\n", None, 'column "t" holds one class only'),
        ("a,b,t\n1,2,x\n3,4,\n", None, 'row 3, column "t": the target is missing'),
        ("a,b,t\n1,2,x\n3,4,y\n", "species", "no column 'species'"),
        ("a,b,species\n1,2,x\n3,4,y\n", "specie", "did you mean 'species'"),
        ("name,colour,t\nbob,red,x\nann,blue,y\n", "t", "no numeric columns besides the target 't'"),
        ("t\nx\ny\n", None, "a single column 't'"),
        ("a,,t\n1,2,x\n3,4,y\n", None, "row 1 .*column 2 has no name"),
        ("a,a,t\n1,2,x\n3,4,y\n", None, "the column name 'a' appears twice"),
        ('a,b,t\n1,2,"x\n', None, "row 2: not valid CSV"),
        ('a,b,t\n1,"2,5",x\n3,4,z\n', None, "row 2, column \"b\": '2,5' is not a number"),
        ("a,b,t\n1,2,0.5\n3,4,abc\n", "t", None),  # numbers and text mixed: classes; see the next test
        ("a,b,t\n1,2,x\n3,4,y\n", None, None),
    ],
)
def test_malformed_files_say_what_and_where(tmp_path, content, target, message):
    path = write(tmp_path, content)
    if message is None:
        assert load_csv(path, target=target).kind == "classification"
        return
    with pytest.raises(DatasetError, match=message) as caught:
        load_csv(path, target=target)
    assert str(path) in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_a_regression_target_must_be_numbers(tmp_path):
    path = write(tmp_path, "a,t\n1,0.5\n2,oops\n")
    with pytest.raises(DatasetError, match="row 3, column \"t\": 'oops' is not a number"):
        load_csv(path, kind="regression")


def test_bad_kind_is_refused(tmp_path):
    with pytest.raises(DatasetError, match="kind must be"):
        load_csv(write(tmp_path, "a,t\n1,2\n"), kind="clustering")


def test_not_utf8_names_the_row(tmp_path):
    path = write(tmp_path, b"a,t\n1,x\n2,\xff\xfe\n")
    with pytest.raises(DatasetError, match="is not UTF-8 text"):
        load_csv(path)


def test_a_missing_file_and_a_folder_are_refused(tmp_path):
    with pytest.raises(DatasetError, match="cannot be opened"):
        load_csv(tmp_path / "nothing.csv")
    with pytest.raises(DatasetError, match="is a folder"):
        load_csv(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs")
def test_a_fifo_is_refused_at_once_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(DatasetError, match="not a regular file"):
        load_csv(fifo)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_is_refused():
    with pytest.raises(DatasetError, match="not a regular file"):
        load_csv("/dev/zero")


def test_a_file_over_100_mb_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as stream:  # sparse: takes no disk space, reading it would take seconds
        stream.truncate(datasets.MAX_CSV_BYTES + 1)
    with pytest.raises(DatasetError, match=r"104\.9 MB; CSV files are read up to 100 MB"):
        load_csv(path)


def test_more_rows_than_the_limit_are_refused_before_the_rest_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(datasets, "MAX_CSV_ROWS", 5)
    path = write(tmp_path, "a,t\n" + "".join(f"{i},{i % 2}\n" for i in range(6)) + "not,even,csv,here\n")
    with pytest.raises(DatasetError, match="more than 5 data rows"):
        load_csv(path)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_an_unreadable_file_is_refused(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads everything")
    path = write(tmp_path, "a,t\n1,x\n")
    path.chmod(0)
    with pytest.raises(DatasetError, match="cannot be read"):
        load_csv(path)


def test_iris_csv_round_trip_through_load_csv(tmp_path):
    iris = datasets.iris()
    lines = ["f1,f2,f3,f4,species"] + [
        ",".join(repr(float(v)) for v in row) + f",{iris.class_names[int(c)]}"
        for row, c in zip(iris.x, iris.y, strict=True)
    ]
    data = load_csv(write(tmp_path, "\n".join(lines)), target="species")
    assert np.array_equal(data.x, iris.x) and np.array_equal(data.y, iris.y)
