"""``python -m neuroviz [FILE]`` is the same as the ``neuroviz`` command."""

import sys

from neuroviz.app import main

if __name__ == "__main__":
    sys.exit(main())
