"""``python -m cxculture``: the same entry point as the ``cxculture`` command."""

from cxculture.cli import main

raise SystemExit(main())
