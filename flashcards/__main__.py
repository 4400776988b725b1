"""`python -m flashcards` runs the same entry point as the console script."""

import sys

from flashcards.cli import main

sys.exit(main())
