"""Data ▸ Iris and Data ▸ Open Dataset… shuffle a file's rows by the Training dock's seed before the split, as the
dock does: iris is sorted by species, and split in file order its test rows would be nearly all one species."""

import numpy as np

from neuroviz.model import datasets


def species_shares(part) -> np.ndarray:
    return np.bincount(part.y.astype(int), minlength=3) / len(part)


def test_data_menu_iris_mixes_the_species_in_both_parts_and_follows_the_seed(window):
    window.actions["data_iris"].trigger()  # Data ▸ Iris
    data = window.controller.maps.data
    assert len(data.train) == 75 and len(data.test) == 75
    for part in (data.train, data.test):  # each species is a third of the file: about a third of each part
        assert np.all(species_shares(part) > 0.2), species_shares(part)
    # the same rows as the dock's own iris entry with the same seed: the two ways give the same split
    menu_rows = data.train.x.copy()
    expected = datasets.iris()
    expected = expected.rows(np.random.default_rng(0).permutation(len(expected)))
    np.testing.assert_array_equal(menu_rows, expected.x[:75])
    # another seed in the dock: the Data menu shuffles with it
    panel = window.training_panel
    panel.seed_box.setValue(7)
    panel.seed_box.editingFinished.emit()  # typed and Enter
    window.actions["data_iris"].trigger()
    assert data.seed == 7 and not np.array_equal(data.train.x, menu_rows)
    assert np.all(species_shares(data.test) > 0.2)


def test_a_sorted_csv_from_the_data_menu_is_shuffled_too(window, tmp_path):
    path = tmp_path / "sorted.csv"
    rows = [f"{i},{i % 7},{'a' if i < 30 else 'b'}" for i in range(60)]  # class a first, then b
    path.write_text("x1,x2,label\n" + "\n".join(rows) + "\n")
    assert window.controller.maps.data_actions.open_csv(str(path), target="label")
    data = window.controller.maps.data
    assert set(data.test.y.astype(int)) == {0, 1} and set(data.train.y.astype(int)) == {0, 1}
