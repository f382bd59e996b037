"""Editor support: the language server that `legalmodel lsp` runs over stdio (docs/editors.md).

Owns what an editor asks of a spec while it is being written: diagnostics as you type (syntax
and resolution errors at once, the solver's findings after a pause, off the main loop),
hover, definitions and references, completion, the outline, formatting, code actions and
rename. `index.py` reads a spec folder (open buffers over the files on disk) into a symbol
index with no editor protocol in it; `features.py` answers the editor's questions from that
index; `server.py` is the pygls server, and the only module that imports pygls.
"""
