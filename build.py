#!/usr/bin/env python3
"""Build the Kota Cerdas portal: ``python build.py`` (see ``python build.py --help``)."""

from kotacerdas.cli.main import main
from kotacerdas.core.process import end

if __name__ == "__main__":
    end(main())
