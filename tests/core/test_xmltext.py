"""XML written as text: byte for byte what ElementTree writes for the same tree, indented."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from hypothesis import given, settings
from hypothesis import strategies as st

from kotacerdas.core import xmltext

TEXT = st.text("ab <>&\"'\t\r\n é丁🙂;=", max_size=8)


@dataclass
class Node:
    """A tree both writers are given."""

    tag: str
    attributes: list[tuple[str, str]]
    text: str | None
    children: list[Node] = field(default_factory=list)


def _nodes() -> st.SearchStrategy[Node]:
    leaf = st.builds(Node, st.sampled_from(["a", "loc", "xhtml:link", "content:encoded"]),
                     st.lists(st.tuples(st.sampled_from(["rel", "href", "xml:lang", "x"]), TEXT),
                              max_size=3, unique_by=lambda pair: pair[0]),
                     st.none() | TEXT)
    return st.recursive(leaf, lambda kids: st.builds(
        Node, st.sampled_from(["url", "entry", "feed"]),
        st.lists(st.tuples(st.sampled_from(["xmlns", "version"]), TEXT), max_size=2,
                 unique_by=lambda pair: pair[0]),
        st.none(), st.lists(kids, min_size=1, max_size=3)), max_leaves=8)


def _written(node: Node, depth: int = 0) -> str:
    return xmltext.element(depth, node.tag, node.attributes, node.text,
                           [_written(child, depth + 1) for child in node.children])


def _tree(node: Node, parent: ET.Element | None = None) -> ET.Element:
    attributes = dict(node.attributes)
    element = ET.Element(node.tag, attributes) if parent is None else \
        ET.SubElement(parent, node.tag, attributes)
    element.text = node.text
    for child in node.children:
        _tree(child, element)
    return element


@settings(max_examples=500, deadline=None)
@given(_nodes())
def test_an_element_is_what_element_tree_writes_once_indented(node: Node) -> None:
    """Any tree of the shapes the sitemap and the feeds write (a parent holds elements, a leaf
    text or nothing, an empty text too; characters to escape in text and attribute values, white
    space, non-ASCII), nested to any depth."""
    root = _tree(node)
    ET.indent(root)
    expected = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8") \
        + b"\n"
    assert xmltext.document(_written(node)) == expected


def test_escapes_read_back_unchanged() -> None:
    """What a parser reads of the text and the attribute is what was written."""
    value = 'a & b < c > d " e \t f \n g'
    root = ET.fromstring(xmltext.element(0, "x", [("v", value)], value.replace("\n", " ")))
    assert root.get("v") == value and root.text == value.replace("\n", " ")
