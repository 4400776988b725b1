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
CRASH_DIRNAME = "crash-reports"
# Study history, answers typed and crash reports are the user's business alone.
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


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


def crash_dir() -> Path:
    """Crash reports go to the data directory even with --db: they are about the program."""
    return data_dir() / CRASH_DIRNAME


def make_private_dirs(folder: Path) -> None:
    """Create `folder` and any missing parents 0700; existing ones keep their mode.

    `Path.mkdir(parents=True, mode=...)` applies the mode to the last folder
    only, and a folder the user made (say, for `--db`) is theirs to set.
    """
    missing: list[Path] = []
    while not folder.exists():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir(mode=PRIVATE_DIR_MODE, exist_ok=True)


def create_private_file(path: Path, mode: int = PRIVATE_FILE_MODE) -> None:
    """Create `path` empty with `mode` unless it exists, so SQLite never makes it 0644."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, mode)
    except FileExistsError:
        return
    os.close(fd)
    os.chmod(path, mode)


def bundled_content_dir() -> Path:
    package = Path(__file__).resolve().parent
    installed = package / "_content"
    if installed.is_dir():
        return installed
    return package.parent / "content"
