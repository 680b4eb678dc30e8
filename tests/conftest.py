import sys
from pathlib import Path

# Lets the tests import their shared helpers (`expectations`) by name.
sys.path.insert(0, str(Path(__file__).parent))
