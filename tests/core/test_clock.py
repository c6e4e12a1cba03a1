"""The clock: "today" is decided in Asia/Jakarta, by one function every command uses."""

from __future__ import annotations

import datetime as dt

from kotacerdas.core.clock import JAKARTA, today_in_jakarta


def test_today_is_decided_in_jakarta() -> None:
    assert JAKARTA.utcoffset(None) == dt.timedelta(hours=7)
    assert today_in_jakarta() == dt.datetime.now(dt.timezone.utc).astimezone(JAKARTA).date()
