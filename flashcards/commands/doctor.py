"""`flashcards doctor`: SQLite's integrity check plus the schema check."""

from __future__ import annotations

import argparse

from flashcards.commands.common import open_for
from flashcards.errors import CollectionError
from flashcards.paths import collection_path


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("doctor", help="check the collection file for damage")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = collection_path(args.db)
    if not path.exists():
        print(f"No collection at {path} yet; it is created when you first study.")
        return 0
    try:
        with open_for(args, bootstrap=False) as collection:
            problems = collection.check()
    except CollectionError as exc:
        print(f"{path}: {exc}")
        return 1
    if problems:
        print(f"{path}: {len(problems)} problem(s):")
        for problem in problems:
            print(f"  - {problem}")
        print("Restore a backup with `flashcards backup list` and `flashcards backup restore`.")
        return 1
    print(f"{path}: ok (integrity check and schema check passed)")
    return 0
