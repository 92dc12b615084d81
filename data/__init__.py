"""Data tables shipped inside the wheel (read with importlib.resources.files("polgraph.data"))."""
