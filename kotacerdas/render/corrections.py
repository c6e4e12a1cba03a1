"""The correction loop: links to the repository's data-correction issue form, prefilled.

Region and round pages ask readers to report what is wrong or missing, with a public source,
through ``.github/ISSUE_TEMPLATE/koreksi-data.yml``. GitHub fills an issue form's field from the
query parameter named after the field's ``id`` (and the issue title from ``title``), so the link
carries what the page already knows: the region, or the round.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

FORM_FILE = "koreksi-data.yml"
"""The form's file name in .github/ISSUE_TEMPLATE/, as GitHub's ``template`` parameter wants it."""
REGION_FIELD = "daerah"
ROUND_FIELD = "angkatan"
_GITHUB_REPO = re.compile(r"^https://github\.com/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+/?$")


def correction_url(repository: str | None, region: str = "", year: int | str = "") -> str | None:
    """The new-issue address of the correction form with ``region`` and ``year`` filled in, or
    None when the site's repository is not on GitHub (issue forms are a GitHub feature)."""
    if not repository or not _GITHUB_REPO.match(repository):
        return None
    subject = region or (f"angkatan {year}" if year != "" else "")
    query = {"template": FORM_FILE,
             "title": f"Koreksi data: {subject}" if subject else "Koreksi data: "}
    if region:
        query[REGION_FIELD] = region
    if year != "":
        query[ROUND_FIELD] = str(year)
    return f"{repository.rstrip('/')}/issues/new?{urlencode(query, quote_via=quote)}"
