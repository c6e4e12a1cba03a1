"""The site model: a document the converter cannot handle is a content error naming its file."""

from __future__ import annotations

import dataclasses

import pytest

from conftest import FixtureSite
from kotacerdas.errors import ContentError
from kotacerdas.load import load_site
from kotacerdas.model import build_model


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_failed_conversion_names_the_file(site: FixtureSite, language: str) -> None:
    """mdlimits refuses what is known to recurse; anything it misses still names its file."""
    content = load_site(site.root)
    news = tuple(dataclasses.replace(n, body="* " * 10000 + "a\n") if n.slug == "tahap-tiga" else n
                 for n in content.news)
    with pytest.raises(ContentError) as caught:
        build_model(dataclasses.replace(content, news=news), language=language)
    [problem] = caught.value.problems
    assert problem.path == "content/news/2019-05-15-tahap-tiga.md"
    assert "nests lists, quotes, links or emphasis too deeply" in problem.message
