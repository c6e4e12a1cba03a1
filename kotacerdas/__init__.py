"""Kota Cerdas: the static site generator behind the Gerakan Menuju Smart City portal.

The pipeline runs one way: ``load`` (read and validate content) → ``model`` (cross references,
groupings, URLs) → ``pages`` (the list of pages the site has) → ``render`` → ``writer``.
``pipeline.build`` wires the stages together; ``cli`` is the command line.
"""

__version__ = "0.1.0"
