"""Build: one build from a site folder to an output tree (pipeline, cache, the one sink, link
check).

Rule: a module here imports only from ``build`` and the stages below (``render`` down to ``core``).
Every subpackage ``__init__`` stays otherwise empty: the no-change build imports only what it needs.
"""
