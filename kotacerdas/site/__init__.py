"""Site: the site map, every output file the site has and what each one depends on.

Rule: a module here imports only from ``site``, ``outputs``, ``model``, ``content`` and ``core``.
Every subpackage ``__init__`` stays otherwise empty: the no-change build imports only what it needs.
"""
