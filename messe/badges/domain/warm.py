"""Imported by the badge fork server (``batch._context``): the badge code and fonts loaded once.

Helper processes are forked from the fork server, so they start with the fonts already parsed
instead of spending a fifth of a second each on them. Importing this module loads every
configured font; nothing else should import it.
"""

from contextlib import suppress

from messe.badges.domain import base45, batch  # noqa: F401  (the code the helpers run)
from messe.badges.domain.fonts import FontError, warm_badge_fonts

base45.warm()
with suppress(FontError):  # the batch itself reports a broken font configuration
    warm_badge_fonts()
