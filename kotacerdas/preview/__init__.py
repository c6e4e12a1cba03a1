"""Preview: the live preview server (livereload) over the build's incremental engine.

Rule: a module here imports only from ``preview`` and the stages below (``build`` down to ``core``).
Every subpackage ``__init__`` stays otherwise empty: the no-change build imports only what it needs.
"""
