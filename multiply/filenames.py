"""The names uploaded files are stored under.

A browser sends whatever name the person's computer gave the file: a path, control characters,
or 200 Finnish letters that are 400 bytes in UTF-8, when a disk keeps at most 255 bytes per
name. Storing such a name failed with a server error and left the random folder it was meant for
empty on the disk (issue 15), so every `upload_to` of the portal stores `upload_path(...)`: the
person's name, made safe and short, in the folder the field chose. This module knows no storage:
the same names suit the local folder and S3.
"""

import re
import unicodedata

# A disk keeps 255 bytes per name, and a storage may add "_" and seven characters to make a name
# unique (Storage.get_alternative_name): 200 bytes leave room, and are plenty for a person to
# recognise their file.
MAX_NAME_BYTES = 200
# ".pdf", ".docx", ".jpeg": anything longer after the last dot is part of the name, not a type.
MAX_EXTENSION = 8
FALLBACK = "file"

# What Django's own storages keep of a name (django.utils.text.get_valid_filename), so that
# what we shorten here is what is stored, not shortened again.
_UNSAFE = re.compile(r"[^-\w. ]")


def safe_name(name: str, *, max_length: int = 100) -> str:
    """The last part of `name`, without control characters or anything a storage would drop,
    at most `max_length` characters and MAX_NAME_BYTES bytes, its extension kept."""
    name = unicodedata.normalize("NFC", name)
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = _UNSAFE.sub("", name)
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) > MAX_EXTENSION or not extension.isalnum():
        stem, extension = name, ""
    stem = stem.strip(" .")  # no hidden files, nothing Windows would not open
    extension = f".{extension}" if extension else ""
    stem = _shortened(
        stem, chars=max_length - len(extension), size=MAX_NAME_BYTES - len(extension.encode())
    )
    return f"{stem or FALLBACK}{extension}"


def upload_path(folder: str, filename: str, *, max_length: int) -> str:
    """`folder/name`: the person's file name made safe, and short enough that the whole path
    fits the FileField's `max_length` (a storage that makes it unique shortens it to fit)."""
    room = max_length - len(folder) - 1
    return f"{folder}/{safe_name(filename, max_length=room)}"


def _shortened(text: str, *, chars: int, size: int) -> str:
    # Cut by characters, then by UTF-8 bytes without splitting a character.
    text = text[: max(chars, 0)].encode()[: max(size, 0)].decode("utf-8", "ignore")
    return text.rstrip(" .")
