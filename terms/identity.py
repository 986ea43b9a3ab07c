"""When two names are the same name: the identity key that term and tag names are unique by.

Editors see "Café" typed on a Mac (decomposed, NFD) and on Windows (NFC), "CAFÉ", a fullwidth
"Ｃａｆé", "Ca\u200bfé" with a zero-width space or "Café\ufe0f" with a variation selector pasted in,
as one name; so does this key.
Migration 0012 holds a frozen copy of these functions: change them there only with a new migration.
"""

import re
import unicodedata

# Unicode's Default_Ignorable_Code_Point ranges (DerivedCoreProperties.txt), which Python cannot look up:
# characters a reader never sees. Format characters (Cf) alone miss variation selectors, the combining
# grapheme joiner and the Hangul fillers.
DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
    (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
)  # fmt: skip
_DEFAULT_IGNORABLE = re.compile("[" + "".join(rf"\U{start:08x}-\U{end:08x}" for start, end in DEFAULT_IGNORABLE) + "]")


def visible(text: str) -> str:
    """The text without invisible characters: format characters (Cf) and default-ignorable code points."""
    return "".join(char for char in _DEFAULT_IGNORABLE.sub("", text) if unicodedata.category(char) != "Cf")


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
