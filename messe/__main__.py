"""``python -m messe`` is the ``messe`` command."""

import sys

from messe.cli import main

sys.exit(main())
