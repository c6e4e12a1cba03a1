"""CLI: the command line, one function per command, and the one place reports are printed.

Rule: a module here may import any stage; nothing imports ``cli``.
Every subpackage ``__init__`` stays otherwise empty: the no-change build imports only what it needs.
"""
