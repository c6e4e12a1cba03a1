"""Load and validate a site folder: configuration, reference data, regions, news, pages.

Every problem in the run is collected and raised together as one ``ContentError``; nothing
downstream runs on content that did not pass, and no file found in content/ is left out without a
problem naming it (``checks.account_for_every_file``). ``load_site`` is the table of contents:
the reading rules that protect the build are in ``read``, each kind of file has its own module
(``config``, ``reference``, ``regions``, ``documents``), and the checks across files are in
``checks``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kotacerdas.content.checks import (
    account_for_every_file,
    check_content_folder,
    check_news_slugs,
    check_province_slugs,
    check_regions,
)
from kotacerdas.content.config import load_config
from kotacerdas.content.documents import (load_news, load_pages, load_translations,
                                          split_translations)
from kotacerdas.content.parsecache import ParseCache
from kotacerdas.core.digest import digest_of
from kotacerdas.content.read import refuse_special_files
from kotacerdas.content.reference import (
    SHAPES_FILE,
    complete_cohorts,
    load_shapes,
    provinces_from_regions,
    reference_data,
)
from kotacerdas.content.regions import load_regions
from kotacerdas.content.types import Content
from kotacerdas.core.errors import Problems
from kotacerdas.core.memo import Memo


def load_site(site: Path, today: dt.date, parsed: ParseCache | None = None,
              memo: Memo | None = None) -> Content:
    """Read everything under ``site``; raise ContentError listing every problem found.

    ``today`` is the date in Asia/Jakarta that the caller builds for (loading never reads the
    clock): no 'updated' date may be later. Every file found in content/ ends up in the
    returned content or named by a problem; none is left out without a word. With ``parsed``
    (the parse cache of earlier builds, parsecache.py), YAML and front matter read before are not
    parsed or validated again; with ``memo`` (core/memo.py), what was derived from unchanged
    files is not derived again.
    """
    problems = Problems(site)
    content_dir = site / "content"
    refuse_special_files(content_dir, problems, memo)
    refuse_special_files(site / "templates", problems, memo)
    check_content_folder(content_dir, problems, memo)
    config = load_config(site / "site_config.yaml", problems, parsed, memo)
    reference_dir = content_dir / "reference"
    reference = reference_data(reference_dir, problems, parsed, memo)
    provinces, kabkota, cohorts = reference.provinces, reference.kabkota, reference.cohorts
    has_reference = reference.present
    shapes, shapes_digest = load_shapes(reference_dir / SHAPES_FILE, provinces, problems, memo)
    regions = load_regions(content_dir / "regions", problems, today, parsed, memo)
    news_files, news_translated = split_translations(content_dir / "news", problems, memo)
    page_files, pages_translated = split_translations(content_dir / "pages", problems, memo)
    news = load_news(news_files, problems, {r.slug for r in regions}, today, parsed, memo)
    pages = load_pages(page_files, problems, today, parsed, memo)
    translations = (load_translations("news", news_translated, news, config, problems, today,
                                      parsed, memo)
                    + load_translations("page", pages_translated, pages, config, problems, today,
                                        parsed, memo))
    if not has_reference:
        provinces = provinces_from_regions(regions)
    check_regions(regions, provinces, kabkota, has_reference, problems)
    check_province_slugs(provinces, regions, content_dir, has_reference, problems)
    check_news_slugs(news, problems)
    cohorts = complete_cohorts(cohorts, regions)
    loaded = {problems.display(reference_dir / name) for name in reference.files}
    if shapes_digest:
        loaded.add(problems.display(reference_dir / SHAPES_FILE))
    account_for_every_file(content_dir, problems,
                            loaded | {x.path for group in (regions, news, pages, translations)
                                      for x in group}, memo)
    problems.raise_if_any()
    assert config is not None
    return Content(config=config, provinces=provinces, kabkota=kabkota, cohorts=cohorts,
                   regions=regions, news=news, pages=pages, has_reference=has_reference,
                   reference_digest=digest_of(repr((provinces, reference.kabkota_digest,
                                                    cohorts, shapes_digest))),
                   province_shapes=shapes, shapes_digest=shapes_digest,
                   translations=translations)
