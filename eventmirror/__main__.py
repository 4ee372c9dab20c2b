"""``python -m eventmirror`` is the ``eventmirror`` command."""

import sys

from .cli import main

sys.exit(main())
