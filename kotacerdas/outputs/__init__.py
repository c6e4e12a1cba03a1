"""Outputs: the non-HTML files (feeds, sitemap, search index, open data), pure functions of the
model.

Rule: a module here imports only from ``outputs``, ``model``, ``content`` and ``core``.
Every subpackage ``__init__`` stays otherwise empty: the no-change build imports only what it needs.
"""
