"""The law in the browser: `legalmodel report` (a static site) and `legalmodel serve` (the
what-if explorer), both rendered from Jinja2 templates in two languages (docs/report.md).

Rendering only, like reports/: every answer comes from `legalmodel.api`. `render` owns the
templates, the `report` gettext domain and the one function that puts a condition or a
situation into words; `site` builds the static report; `explorer` is the web application.
They need the `web` extra (Jinja2, Starlette, uvicorn): `missing_extra` says so plainly.
"""

from __future__ import annotations


def missing_extra() -> str | None:
    """Why the web commands cannot run here, or None where they can."""
    import importlib.util

    absent = [name for name in ("jinja2", "starlette", "uvicorn") if importlib.util.find_spec(name) is None]
    if not absent:
        return None
    # said on the command line, so in the `legalmodel` domain (a `sentence`, which the `report`
    # domain's extraction of web/ does not take)
    from ..i18n import said, sentence

    return said(sentence("`legalmodel report` and `legalmodel serve` need {modules}; install them with: pip "
                         "install 'legalmodel[web]'", modules=", ".join(absent)))
