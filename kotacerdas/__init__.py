"""Kota Cerdas: the static site generator behind the Gerakan Menuju Smart City portal.

One package per stage, and imports that point one way only (tests/project/test_layers.py):
``core`` ← ``content`` (read and validate) ← ``model`` (cross references, groupings, Markdown)
← ``outputs`` (feeds, sitemap, search, open data) ← ``site`` (the site map) ← ``render``
(templates to bytes) ← ``build`` (pipeline, engine, cache, the one sink) ← ``preview`` ← ``cli``;
``editors`` (tools that write content/) sits on ``content`` and ``core``.
"""

__version__ = "0.1.0"
