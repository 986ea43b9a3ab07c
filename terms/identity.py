"""When two names are the same name: the identity key that term and tag names are unique by.

Editors see "Café" typed on a Mac (decomposed, NFD) and on Windows (NFC), "CAFÉ", a fullwidth
"Ｃａｆé" or "Ca\u200bfé" with a zero-width space pasted in, as one name; so does this key.
Migration 0012 holds a frozen copy of these functions: change them there only with a new migration.
"""

import unicodedata


def visible(text: str) -> str:
    """The text without invisible format characters (zero-width spaces and joiners, soft hyphens, BOMs)."""
    return "".join(char for char in text if unicodedata.category(char) != "Cf")


def normalise_name(name: str) -> str:
    """A name as it is stored: visible characters only, composed (NFC), single spaces; its letter case kept."""
    return " ".join(unicodedata.normalize("NFC", visible(name)).split())


def identity_key(name: str) -> str:
    """What two names that are the same name share: compatibility-normalised (NFKC), case-folded, visible."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", visible(name)).casefold())
    return " ".join(folded.split())


def set_aside_key(key: str, pk: int) -> str:
    """The key migration 0012 gives a row whose name was another's twin: unique, and never a name's key."""
    return f"{key}\n{pk}"  # a key holds single spaces only, never a line break


def is_set_aside(name: str, name_key: str) -> bool:
    """Whether a row was set aside by migration 0012 as the twin of an older row, and has not been renamed since."""
    return name_key.startswith(f"{identity_key(name)}\n")
