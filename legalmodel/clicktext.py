"""click's own words in our catalogue: the headings of `--help` ("Usage:", "Options",
"Commands"), "Error: …", and the messages of a command line used wrongly ("No such option
…", "Missing argument …", "… is not one of …").

click marks these with the standard library's `gettext`, bound at its import to the global
`messages` domain and the locale's language, so they would ignore `--lang` and our
catalogue. `install()` points click's modules at the `legalmodel` domain in the language
spoken now instead. The messages are listed below with `N_` so that tools/catalogues.py
extracts them, and a translator sees them beside ours; one click does not mark is left in
English (click then prints its own words, never nothing).
"""

from __future__ import annotations

from . import i18n
from .i18n import N_


# every message of click that a user of legalmodel can see, as click writes it
MESSAGES = (
    N_("Usage:"), N_("Options"), N_("Commands"), N_("Positional arguments"),
    N_("Error: {message}"), N_("Try '{command} {option}' for help."),
    N_("Show this message and exit."), N_("Show the version and exit."), N_("%(prog)s, version %(version)s"),
    N_("Aborted!"), N_("Missing command."), N_("Missing argument"), N_("Missing option"),
    N_("Missing parameter"), N_("Missing {param_type}"), N_("Missing parameter: {param_name}"),
    N_("No such option {name!r}."), N_("No such command {name!r}."),
    N_("Invalid value: {message}"), N_("Invalid value for {param_hint}: {message}"),
    N_("Option {name!r} does not take a value."), N_("Argument {name!r} takes {nargs} values."),
    N_("{value!r} is not a valid {number_type}."), N_("{value} is not in the range {range}."),
    N_("{name} {filename!r} does not exist."), N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."), N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."), N_("file"), N_("directory"), N_("path"),
    N_("default: {default}"), N_("required"), N_("Could not open file {filename!r}: {message}"),
    N_("unknown error"), N_("Choose from:\n\t{choices}"),
)
def _plurals_for_the_catalogue() -> None:  # never called: it shows the extractor each plural
    i18n.ngettext("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})", 1)
    i18n.ngettext("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments.", 1)
    i18n.ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", 1)
    i18n.ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", 1)


def _gettext(message: str) -> str:
    return i18n._(message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return i18n.ngettext(singular, plural, n)


def install() -> None:
    """Have click say its words through our catalogue, in the language spoken at the time."""
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.types

    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.types):
        if hasattr(module, "_"):
            module._ = _gettext
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext
