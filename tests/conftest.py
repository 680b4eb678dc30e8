import sys
from pathlib import Path

# Lets the tests import their shared helpers (`expectations`) by name.
sys.path.insert(0, str(Path(__file__).parent))

# Inputs, not tests: real-world windows (some named *_test.py), fixtures, and
# the benchmark, which pytest must never import.
collect_ignore = ["fixtures", "realworld", "benchmarks"]
