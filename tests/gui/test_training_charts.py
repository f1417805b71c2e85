"""The Training Charts dock: loss, gradient flow, dead neurons and layer statistics follow the run's history."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

from neuroviz.model import Network
from neuroviz.model.layer_stats import layer_statistics
from neuroviz.training_run import TrainingSettings
from neuroviz.views.training_charts import value_axis_window


def trained(window, activations=("relu", "tanh", "sigmoid"), epochs=6, **settings):
    net = Network.from_sizes([2, 6, 4, 1], list(activations), seed=2)
    window.controller.set_network(net, None)
    window.controller.maps.data.generate("circle", noise=0.1, seed=0)
    run = window.controller.training.run
    run.budget_ms = None
    run.set_settings(TrainingSettings(**{"learning_rate": 0.02, **settings}))
    window.actions["train_play"].trigger()
    for _ in range(epochs):
        run.tick()
    window.actions["train_play"].trigger()
    return run


def test_the_loss_chart_shows_the_trainers_history_and_comes_to_the_front(window):
    run = trained(window)
    charts = window.training_charts
    assert not window.charts_dock.visibleRegion().isEmpty()
    x, y = charts.loss.series("loss")
    np.testing.assert_array_equal(x, np.arange(1, 7))
    np.testing.assert_array_equal(y, run.history.column("loss"))
    np.testing.assert_array_equal(charts.loss.series("loss (test)")[1], run.history.column("val_loss"))
    np.testing.assert_array_equal(charts.loss.series("accuracy")[1], run.history.column("accuracy"))
    assert charts.loss.readout_at(3.2).startswith("epoch 3 · loss ")
    assert f"{run.history.column('loss')[2]:.4g}" in charts.loss.readout_at(3.2)


def test_log_scale_option(window):
    trained(window, epochs=2)
    chart = window.training_charts.loss
    chart.log_box.setChecked(True)
    assert chart.plot.getPlotItem().ctrl.logYCheck.isChecked()
    chart.log_box.setChecked(False)
    assert not chart.plot.getPlotItem().ctrl.logYCheck.isChecked()


def test_gradient_flow_has_one_series_per_layer_on_a_log_scale(window):
    run = trained(window, activations=("sigmoid", "sigmoid", "sigmoid"))
    chart = window.training_charts.gradients
    assert chart.names() == ["hidden 1", "hidden 2", "output"] and chart.log_box.isChecked()
    norms = np.array(run.history.gradient_norms)
    for k, name in enumerate(chart.names()):
        np.testing.assert_array_equal(chart.series(name)[1], norms[:, k])
    assert (norms > 0).all()


def test_dead_neurons_show_relu_layers_only_and_equal_the_data(window):
    run = trained(window, activations=("relu", "tanh", "sigmoid"), epochs=3)
    chart = window.training_charts.dead
    assert chart.names() == ["hidden 1"]
    expected = layer_statistics(window.controller.network, window.controller.maps.data.train.x)
    assert chart.series("hidden 1")[1][-1] == expected.dead_share[0]
    assert len(run.history.statistics) == 3


def test_layer_statistics_show_mean_and_deviation_per_layer(window):
    trained(window, activations=("selu", "selu", "sigmoid"), epochs=2)
    charts = window.training_charts
    expected = layer_statistics(window.controller.network, window.controller.maps.data.train.x)
    for k, name in enumerate(["hidden 1", "hidden 2", "output"]):
        assert charts.means.series(name)[1][-1] == expected.mean[k]
        assert charts.stds.series(name)[1][-1] == expected.std[k]


def test_layer_statistics_share_one_key_above_the_charts_in_the_curves_colours(window):
    trained(window, activations=("selu", "selu", "sigmoid"), epochs=1)
    charts = window.training_charts
    assert charts.means.legend is None and charts.stds.legend is None  # nothing drawn over the curves
    key = charts.stats_key.text()
    for name in ("hidden 1", "hidden 2", "output"):
        colour = charts.means._curves[name].opts["pen"].color().name()
        assert f"color:{colour}'>━</span>&nbsp;{name}" in key
        assert charts.stds._curves[name].opts["pen"].color().name() == colour  # the key fits both charts
    window.controller.set_network(Network.from_sizes([2, 3, 1], ["relu", "sigmoid"], seed=0), None)
    window.actions["train_step"].trigger()
    assert "hidden 1" in charts.stats_key.text() and "hidden 2" not in charts.stats_key.text()


def test_reset_empties_the_charts(window):
    trained(window, epochs=2)
    window.actions["train_reset"].trigger()
    assert len(window.training_charts.loss.series("loss")[0]) == 0


def _drawn(chart) -> dict[str, np.ndarray]:
    """What the chart's plot shows: the y values of each curve on it, by legend name."""
    return {item.name(): item.yData for item in chart.plot.getPlotItem().listDataItems()}


def test_a_chart_on_a_hidden_tab_draws_the_whole_history_when_its_tab_is_shown(window):
    charts = window.training_charts
    charts.setCurrentWidget(charts.loss)
    run = trained(window, activations=("sigmoid", "sigmoid", "sigmoid"), epochs=4)
    assert charts.loss.isVisible() and not charts.gradients.isVisible()
    np.testing.assert_array_equal(_drawn(charts.loss)["loss"], run.history.column("loss"))  # on screen: drawn
    assert all(values is None or len(values) < 4 for values in _drawn(charts.gradients).values())  # hidden: waits
    charts.setCurrentWidget(charts.gradients)
    drawn = _drawn(charts.gradients)
    norms = np.array(run.history.gradient_norms)
    assert list(drawn) == ["hidden 1", "hidden 2", "output"]
    for k, name in enumerate(drawn):
        np.testing.assert_array_equal(drawn[name], norms[:, k])


def test_epoch_axis_ends_at_a_round_number_and_moves_only_every_few_epochs(window):
    charts = window.training_charts
    run = trained(window, epochs=11)
    shown = charts.loss.plot.getViewBox().viewRange()[0]
    assert charts.loss.epoch_window() == (1.0, 15.0)
    assert shown[0] < 1.0 and 15.0 < shown[1] < 15.5  # epochs 1 to 15 with a small margin: room for four more
    window.actions["train_play"].trigger()
    run.tick()
    window.actions["train_play"].trigger()
    assert len(run.history) == 12
    assert charts.loss.plot.getViewBox().viewRange()[0] == shown  # the axis stayed
    np.testing.assert_array_equal(charts.loss.series("loss")[1], run.history.column("loss"))


def test_value_axis_spans_the_data_in_round_numbers_and_stays_while_it_moves_inside(window):
    """The value axis reaches round numbers around every drawn value (loss and accuracy alike) and keeps its span
    while the next epochs fall inside it: its ticks are not drawn again on every frame."""
    charts = window.training_charts
    run = trained(window, epochs=8)
    chart = charts.loss
    low, high = chart.plot.getViewBox().viewRange()[1]
    drawn = np.concatenate([chart.series(name)[1] for name in chart.names()])
    bottom, top = value_axis_window(float(drawn.min()), float(drawn.max()), log=False)
    assert low < bottom <= drawn.min() and drawn.max() <= top < high  # the data inside, a small margin outside
    step = 10.0 ** np.floor(np.log10(drawn.max() - drawn.min())) / 5
    assert np.isclose(bottom / step, round(bottom / step)) and np.isclose(top / step, round(top / step))
    window.actions["train_play"].trigger()
    run.tick()
    window.actions["train_play"].trigger()
    latest = np.concatenate([chart.series(name)[1] for name in chart.names()])
    if value_axis_window(float(latest.min()), float(latest.max()), log=False) == (bottom, top):
        assert chart.plot.getViewBox().viewRange()[1] == [low, high]  # the axis stayed


def test_value_axis_kept_where_a_person_zoomed_until_the_auto_button(window):
    charts = window.training_charts
    run = trained(window, epochs=4)
    chart = charts.loss
    view = chart.plot.getViewBox()
    view.scaleBy((1.0, 0.25))  # a zoom by mouse wheel, as pyqtgraph's wheelEvent makes it
    view.sigRangeChangedManually.emit([False, True])
    zoomed = view.viewRange()[1]
    window.actions["train_play"].trigger()
    for _ in range(6):
        run.tick()
    window.actions["train_play"].trigger()
    assert view.viewRange()[1] == zoomed
    button = chart.plot.getPlotItem().autoBtn
    button.clicked.emit(button)  # as its mouseClickEvent emits it
    drawn = np.concatenate([chart.series(name)[1] for name in chart.names()])
    low, high = view.viewRange()[1]
    assert low < drawn.min() and drawn.max() < high and view.viewRange()[1] != zoomed
    assert not view.autoRangeEnabled()[1]  # round numbers of its own, not pyqtgraph's range of every epoch


def test_value_axis_window_rounds_out_to_a_fifth_of_a_power_of_ten():
    assert value_axis_window(0.13, 0.71, log=False) == pytest.approx((0.12, 0.72))
    assert value_axis_window(0.03, 1.04, log=False) == pytest.approx((0.0, 1.2))
    assert value_axis_window(2.0, 2.0, log=False) == pytest.approx((2.0, 2.2))
    assert value_axis_window(-1.7, -0.6, log=True) == (-2.0, -0.5)
    assert value_axis_window(-1.2, -1.2, log=True) == (-1.5, -1.0)


def test_epoch_axis_end_rounds_up_to_half_a_power_of_ten():
    from neuroviz.views.training_charts import epoch_axis_end

    assert [epoch_axis_end(n) for n in (1, 7, 10, 11, 37, 100, 101, 151, 1001)] == [
        1,
        7,
        10,
        15,
        40,
        100,
        150,
        200,
        1500,
    ]


def test_legend_text_follows_the_dark_theme(window):
    from neuroviz.views.colors import theme

    trained(window, epochs=2)
    window.actions["dark"].trigger()
    charts = window.training_charts
    for chart in (charts.loss, charts.gradients):
        assert chart.names()
        labels = [label for _sample, label in chart.legend.items]
        assert [label.text for label in labels] == chart.names()
        for label in labels:
            assert theme(True).foreground.lower() in label.item.toHtml().lower(), label.text


def test_the_legend_has_a_backdrop_in_the_themes_background(window):
    """Curves pass under the legend (loss falling from the top left, accuracy rising to the top right): its names
    stay readable on a nearly opaque backdrop of the chart's background colour, in both themes."""
    from PySide6.QtGui import QColor

    from neuroviz.views.colors import theme

    charts = window.training_charts
    for dark in (False, True):
        charts.set_dark(dark)
        brush = charts.loss.legend.opts["brush"]
        assert brush.color().rgb() == QColor(theme(dark).background).rgb()
        assert 180 <= brush.color().alpha() < 255


def test_the_epoch_axis_ticks_whole_epochs_only(window):
    """Five epochs across a wide chart: pyqtgraph would tick every half epoch ("1.5", "2.5"); epochs are whole."""
    trained(window, epochs=5)
    plot = window.training_charts.loss.plot
    axis = plot.getAxis("bottom")
    plot.getViewBox().updateAutoRange()  # what the next paint does
    low, high = plot.viewRange()[0]
    values = [value for _spacing, ticks in axis.tickValues(low, high, 600) for value in ticks]
    assert values and all(float(value).is_integer() for value in values)
    assert {1.0, 5.0} <= set(values)


def legend_text_colours(chart) -> list[tuple[int, int, int]]:
    """For each legend name, the pixel of the chart as drawn (grabbed) that stands out most from the backdrop:
    the colour the name's letters are painted in."""
    from PySide6.QtGui import QColor

    image = chart.plot.grab().toImage()
    view = chart.plot
    backdrop = QColor(chart.legend.opts["brush"].color())
    found = []
    for _sample, label in chart.legend.items:
        rect = view.mapFromScene(label.sceneBoundingRect()).boundingRect()
        best, colour = -1, None
        for x in range(max(0, rect.left()), min(image.width(), rect.right())):
            for y in range(max(0, rect.top()), min(image.height(), rect.bottom())):
                pixel = image.pixelColor(x, y)
                away = sum(abs(a - b) for a, b in zip(pixel.getRgb()[:3], backdrop.getRgb()[:3], strict=True))
                if away > best:
                    best, colour = away, pixel.getRgb()[:3]
        found.append(colour)
    return found


def test_the_legend_names_are_in_the_themes_text_colour_also_after_a_theme_switch(window):
    """The names were drawn in pyqtgraph's grey (#969696, faint on white) and kept the light theme's near-black
    after View ▸ Dark Theme (invisible on the dark chart): each name is drawn in the theme's text colour."""
    from PySide6.QtGui import QColor

    from neuroviz.views.colors import theme

    window.resize(1400, 900)
    window.show()
    trained(window, epochs=2)
    charts = window.training_charts
    for dark in (False, True, False):
        window.actions["dark"].setChecked(dark)
        for chart in (charts.loss, charts.gradients, charts.dead):
            charts.setCurrentWidget(chart)
            text = QColor(theme(dark).foreground).getRgb()[:3]
            colours = legend_text_colours(chart)
            assert len(colours) == len(chart.names())
            for colour in colours:
                assert sum(abs(a - b) for a, b in zip(colour, text, strict=True)) < 60, (dark, chart.names(), colour)


def test_log_scale_labels_do_not_overlap(window):
    """The gradient flow spans about one decade (0.02 to 0.25): pyqtgraph labelled every 0.01 between 0.02 and
    0.09, six pixels apart on a chart of the dock's height, so "0.09" sat on "0.1" and the rest ran together.
    Labels on the log axis stay at least a line of text apart; the decades and 2 and 5 stay."""
    from PySide6.QtGui import QFontMetricsF

    window.resize(1400, 900)
    window.show()
    trained(window, epochs=12, learning_rate=0.03, batch_size=25)
    chart = window.training_charts.gradients
    window.training_charts.setCurrentWidget(chart)
    plot = chart.plot
    plot.getViewBox().updateAutoRange()
    axis = plot.getAxis("left")
    low, high = plot.viewRange()[1]
    assert 0.7 < high - low < 2  # about one decade: where pyqtgraph labels every minor tick
    length = axis.geometry().height()
    per_decade = length / (high - low)
    labelled = sorted(v for _spacing, values in axis.tickValues(low, high, length) for v in values)
    gaps = np.diff(labelled) * per_decade
    assert len(labelled) >= 3
    assert gaps.min() >= QFontMetricsF(axis.font()).height() * 0.8, [round(10**v, 3) for v in labelled]
    shown = {round(10**v, 6) for v in labelled}
    assert any(f in shown for f in (0.1, 0.01, 1.0)) and any(f in shown for f in (0.2, 0.05, 0.02, 0.5))


def test_the_statistics_key_keeps_off_the_pictures_edge(window):
    """The key's first stroke (hidden 1's ━) was drawn from the very first pixel column of the Layer statistics
    picture (screen and export): it starts where the charts' own margins do, on the charts' background."""
    window.resize(1400, 900)
    window.show()
    trained(window, epochs=1)
    charts = window.training_charts
    charts.setCurrentWidget(charts.stats)
    image = charts.stats.grab().toImage()
    key = charts.stats_key.geometry()
    first_columns = {image.pixelColor(x, y).rgb() for x in range(4) for y in range(key.top(), key.bottom())}
    assert first_columns == {image.pixelColor(0, key.top()).rgb()}  # one colour: the background, no stroke
    inked = [x for x in range(key.width()) if image.pixelColor(x, key.center().y()).rgb() not in first_columns]
    assert inked and inked[0] >= charts.means.plot.mapTo(charts.stats, charts.means.plot.rect().topLeft()).x()


def test_a_long_run_is_drawn_through_a_few_points_per_pixel_and_keeps_its_spikes(window):
    """20,000 epochs are drawn through about one low and one high per two pixel columns (the paint no longer
    grows with the run); a one-epoch spike and the lowest value are still on the line; hover reads every epoch."""
    chart = window.training_charts.loss
    window.charts_dock.show()
    window.charts_dock.raise_()
    window.training_charts.setCurrentWidget(chart)
    epochs = np.arange(1.0, 20_001.0)
    loss = 0.3 + 0.05 * np.sin(epochs / 300.0)
    loss[12_345] = 2.5  # one bad epoch
    loss[17_000] = 0.01
    chart.set_series(epochs, {"loss": loss})
    QApplication.processEvents()
    x, y = chart._curves["loss"].getData()  # what pyqtgraph paints
    width = chart.plot.getPlotItem().getViewBox().width()
    assert 0 < x.size <= 2 * width + 4
    assert y.max() == 2.5 and y.min() == 0.01
    np.testing.assert_array_equal(chart.series("loss")[1], loss)  # the data itself is whole
    assert chart.readout_at(12_346.2).startswith("epoch 12346 · loss 2.5")
