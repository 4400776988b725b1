"""Deck files in and out: YAML decks, CSV/TSV tables and Anki packages.

Parsers here are pure: they turn files into validated `flashcards.model.Deck`s (or
raise one `errors.DeckValidationError` listing every problem) and never touch the
collection. Import the submodule you need; this package imports nothing on purpose.
"""
