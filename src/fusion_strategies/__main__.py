"""Run the command line as ``python -m fusion_strategies``; see `fusion_strategies.cli`."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
