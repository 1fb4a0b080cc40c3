"""`python -m meeting` is the `meeting` command."""

import sys

from meeting.cli import main

sys.exit(main())
