"""Editors: tools that write ``content/`` for editors (new files, imports of data).

Rule: a module here imports only from ``editors``, ``content`` and ``core``.
Every subpackage ``__init__`` stays otherwise empty: the no-change build imports only what it needs.
"""
