"""Qt and pyqtgraph widgets. They draw what the controller hands them and never change the model."""
