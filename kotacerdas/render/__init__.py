"""Render: page specs to bytes through Jinja2 (and what templates call: metadata, charts, the map).

Rule: a module here imports only from ``render`` and the stages below (``site`` down to ``core``).
Every subpackage ``__init__`` stays otherwise empty: the no-change build imports only what it needs.
"""
