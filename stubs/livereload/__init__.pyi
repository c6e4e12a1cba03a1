# livereload 2.7 ships no types and has no stub package: the part of its interface that
# kotacerdas.preview.serve uses, for mypy (mypy_path in pyproject.toml). Check it against
# livereload's source when requirements.in moves to another version.
from livereload.server import Server as Server, shell as shell

__all__ = ("Server", "shell")
