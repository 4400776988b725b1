"""`flashcards backup list|create|restore`: the copies kept beside the collection."""

from __future__ import annotations

import argparse

from flashcards import clock
from flashcards.paths import collection_path
from flashcards.storage import backup


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "backup",
        help="list, make or restore backups of the collection",
        description="A backup is taken automatically before every import that changes an "
        "existing collection; the newest 10 are kept.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("list", help="backups, newest first")
    actions.add_parser("create", help="take a backup now")
    restore = actions.add_parser(
        "restore", help="replace the collection with a backup (the current file is kept too)"
    )
    restore.add_argument("name", nargs="?", help="backup file name (default: the newest)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = collection_path(args.db)
    now = clock.now()
    if args.action == "list":
        backups = backup.list_backups(path)
        if not backups:
            print(f"no backups of {path} yet")
        for item in backups:
            print(f"{item.name}  ({item.path.stat().st_size // 1024} KiB)")
        return 0
    if args.action == "create":
        made = backup.create(path, now, "manual")
        print(f"backup written: {made.path}")
        return 0
    restored, safety = backup.restore(path, args.name, now)
    print(f"restored {restored.name} into {path}")
    if safety is not None:
        print(f"the file it replaced is kept as {safety.name}")
    return 0
