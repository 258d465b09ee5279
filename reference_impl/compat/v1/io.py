"""``tf.io`` of TF1: writing graphs and reading files."""

# ruff: noqa: F401
from ...graph_io import read_file, write_graph
