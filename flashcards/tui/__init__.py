"""The Textual app: the only package that imports Textual.

`flashcards` with no command opens `FlashcardsApp` on the Decks screen;
`flashcards study` opens it straight into a review. Everything the screens show
comes from the core (collection, session, cardtext, quizzes), so the same
behaviour is reachable from the CLI and from tests without a terminal.
"""
