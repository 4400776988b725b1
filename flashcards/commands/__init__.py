"""One module per subcommand group.

Each module exposes `register(subparsers)`, which adds its parser(s) and sets
`func=run` (a callable taking the parsed `argparse.Namespace` and returning the
exit code). `flashcards.cli` imports them lazily by name so start-up stays fast.
"""
