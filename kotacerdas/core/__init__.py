"""Core: the leaf every stage shares (problems, URLs, slugs, clock, digest, locations, safe writes).

Rule: a module here imports only the standard library and other modules of ``core``.
Every subpackage ``__init__`` stays otherwise empty: the no-change build imports only what it needs.
"""
