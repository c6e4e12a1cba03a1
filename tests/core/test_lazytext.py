"""Texts kept as the bytes they were read from until a page asks for them."""

from __future__ import annotations

from kotacerdas.core.lazytext import Span, text_of


def test_a_span_is_its_text_decoded_only_when_asked_and_its_bytes_as_read() -> None:
    raw = memoryview("x\u2014\U0001f642 \ud800y".encode("utf-8", "surrogatepass"))
    span = Span(raw, 1, len(raw) - 1)
    assert span.text() == "\u2014\U0001f642 \ud800" == text_of(span)
    assert span.data() == bytes(raw[1:-1])
    assert span == "\u2014\U0001f642 \ud800" and span == Span(raw, 1, len(raw) - 1)
    assert span != "y" and hash(span) == hash(span.text())
    assert text_of("teks") == "teks"
