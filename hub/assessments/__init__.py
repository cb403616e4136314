"""One assessment engine: every published index, class and compliance verdict."""
