"""Model: ``Content`` to one ``SiteModel`` per edition (cross references, groupings, Markdown).

Rule: a module here imports only from ``model``, ``content`` and ``core``.
Every subpackage ``__init__`` stays otherwise empty: the no-change build imports only what it needs.
"""
