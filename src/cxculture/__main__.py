"""``python -m cxculture``: the same entry point as the ``cxculture`` command."""

from cxculture.cli import main

if __name__ == "__main__":  # not when a worker process (spawn) imports this module
    raise SystemExit(main())
