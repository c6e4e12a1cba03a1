"""The clock: every "today" of the site is a day in Asia/Jakarta (WIB, UTC+7, no daylight
saving)."""

from __future__ import annotations

import datetime as dt

JAKARTA = dt.timezone(dt.timedelta(hours=7), "WIB")


def today_in_jakarta() -> dt.date:
    """Today in Asia/Jakarta, whatever the machine's own time zone: the portal's dates are WIB."""
    return dt.datetime.now(JAKARTA).date()
