"""Content: read and validate the files of a site folder into plain ``Content`` records.

Rule: a module here imports only from ``content`` and ``core``.
Every subpackage ``__init__`` stays otherwise empty: the no-change build imports only what it needs.
"""
