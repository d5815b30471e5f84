"""``manage.py fill_french_plurals``: French is the source language, but its plurals
need a catalogue: without one, gettext applies the English rule and writes « 0
participants » (French says « 0 participant », n > 1 is plural). This fills every plural
entry of ``locale/fr/LC_MESSAGES/django.po`` with its own source forms (``make
messages`` runs it after ``makemessages -l fr``); singular entries stay empty, which
gettext reads as the source text."""

import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

FRENCH_PLURALS = "Plural-Forms: nplurals=2; plural=(n > 1);\\n"


def _strings(lines: list[str], keyword: str) -> list[str] | None:
    """The quoted lines of ``keyword`` (its first line and the continuations)."""
    for start, line in enumerate(lines):
        if line.startswith(keyword + " "):
            found = [line[len(keyword) + 1 :]]
            for more in lines[start + 1 :]:
                if not more.startswith('"'):
                    break
                found.append(more)
            return found
    return None


def _unfuzzy(lines: list[str]) -> list[str]:
    """Comments without ``fuzzy`` (alone or among other flags) and without the ``#|``
    lines of a previous msgid: a fuzzy guess of makemessages is never the source text."""
    kept = []
    for line in lines:
        if line.startswith("#|"):
            continue
        if line.startswith("#,"):
            flags = [f.strip() for f in line[2:].split(",") if f.strip() != "fuzzy"]
            if not flags:
                continue
            line = "#, " + ", ".join(flags)
        kept.append(line)
    return kept


def fill(text: str) -> tuple[str, int]:
    blocks = text.split("\n\n")
    filled = 0
    for index, block in enumerate(blocks):
        lines = block.split("\n")
        singular, plural = _strings(lines, "msgid"), _strings(lines, "msgid_plural")
        if (
            plural is None
            and singular is not None
            and any(line.startswith("#,") and "fuzzy" in line for line in lines)
        ):  # a singular fuzzy guess: back to an empty msgstr (gettext shows the source)
            context = _strings(lines, "msgctxt")
            head = [line for line in _unfuzzy(lines) if line.startswith("#")]
            head += ["msgctxt " + context[0], *context[1:]] if context is not None else []
            blocks[index] = "\n".join([*head, "msgid " + singular[0], *singular[1:], 'msgstr ""'])
            continue
        if plural is None or singular is None:
            continue
        context = _strings(lines, "msgctxt")
        rebuilt = [line for line in _unfuzzy(lines) if line.startswith("#")]
        if context is not None:
            rebuilt += ["msgctxt " + context[0], *context[1:]]
        rebuilt += ["msgid " + singular[0], *singular[1:]]
        rebuilt += ["msgid_plural " + plural[0], *plural[1:]]
        rebuilt += ["msgstr[0] " + singular[0], *singular[1:]]
        rebuilt += ["msgstr[1] " + plural[0], *plural[1:]]
        blocks[index] = "\n".join(rebuilt)
        filled += 1
    # the header: French plural rule, and not fuzzy (msgfmt would skip it)
    blocks[0] = "\n".join(_unfuzzy(blocks[0].split("\n")))
    text = "\n\n".join(blocks)
    text = re.sub(r'"Plural-Forms: [^"]*"', lambda _: f'"{FRENCH_PLURALS}"', text, count=1)
    return text, filled


class Command(BaseCommand):
    help = "Remplit les formes plurielles du catalogue français avec le texte source."

    def handle(self, *args, **options):
        path = Path(settings.LOCALE_PATHS[0]) / "fr" / "LC_MESSAGES" / "django.po"
        text, filled = fill(path.read_text())
        path.write_text(text)
        self.stdout.write(f"{filled} entrées plurielles remplies dans {path}")
