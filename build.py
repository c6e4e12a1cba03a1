#!/usr/bin/env python3
"""Build the Kota Cerdas portal: ``python build.py`` (see ``python build.py --help``)."""

import sys

from kotacerdas.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
