"""pyqtgraph's global options, in one place. Importing this module sets them; every module that makes pyqtgraph
items imports it first (pyqtgraph reads the options when an item is created)."""

import pyqtgraph as pg

OPTIONS = {"antialias": True, "imageAxisOrder": "row-major"}

pg.setConfigOptions(**OPTIONS)
