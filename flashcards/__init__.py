"""flashcards: spaced repetition for machine-learning optimization, in the terminal."""

__version__ = "0.1.0"
