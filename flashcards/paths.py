"""Where things live: the user's collection and the bundled decks.

The collection defaults to the platform's user data directory; `--db PATH`
beats `$FLASHCARDS_DB`, which beats the default. Bundled decks are found both
in an installed wheel (`flashcards/_content`) and in a source checkout
(`content/` beside the package), so the same code serves `pip install .` and
an editable install.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "flashcards"
DB_ENV = "FLASHCARDS_DB"
DB_FILENAME = "collection.sqlite3"


def data_dir() -> Path:
    # Imported here: platformdirs costs ~13 ms at start-up and is only needed
    # when neither --db nor $FLASHCARDS_DB names the file.
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def collection_path(cli_value: str | None = None) -> Path:
    if cli_value:
        return Path(cli_value).expanduser()
    env_value = os.environ.get(DB_ENV)
    if env_value:
        return Path(env_value).expanduser()
    return data_dir() / DB_FILENAME


def backup_dir(collection: Path) -> Path:
    """Backups sit beside the collection, so a custom --db keeps its own."""
    return collection.parent / f"{collection.stem}-backups"


def bundled_content_dir() -> Path:
    package = Path(__file__).resolve().parent
    installed = package / "_content"
    if installed.is_dir():
        return installed
    return package.parent / "content"
