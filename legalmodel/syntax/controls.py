"""Control characters: which ones a spec, a file name or a baseline may not hold, and how a
text that holds one is shown in a message.

A control character (C0 and C1, DEL) can drive a terminal: ESC and U+009B start the CSI and OSC
sequences that move the cursor, erase lines, set the window title or write the clipboard, so a
title or a file name holding one could hide a finding or forge output. A spec is plain text,
so such a character is an input error (exit 2) at its line and column, before anything is
shown; a file or folder name holding one is refused by name, written with escapes.
"""

from __future__ import annotations

import re

# in a file's text: every C0 control but tab, line feed, form feed and carriage return (line
# ends and blanks the grammar reads), DEL and the C1 controls
IN_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
# in a name or a one-line text (a file name, a justification): every control, line ends too
IN_NAME = re.compile("[\x00-\x1f\x7f-\x9f]")


def escaped(text: str) -> str:
    """The text with every control character written as an escape (`\\x1b`), safe to print."""
    return IN_NAME.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def describe(ch: str) -> str:
    """How a message names one control character."""
    from ..i18n import sentence

    if ch == "\x00":
        return sentence("a NUL byte")
    if ch in ("\x1b", "\x9b"):
        return sentence("the control character {code}, which starts a terminal escape sequence", code=f"U+{ord(ch):04X}")
    return sentence("the control character {code}", code=f"U+{ord(ch):04X}")
