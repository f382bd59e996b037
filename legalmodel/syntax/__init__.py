"""Stage 1, from text to syntax: reading source files (source), the syntax tree (tree), the
parser that builds it (parse, with the grammar in grammar/legalmodel.lark), legal citations
(citations), diagnostics for bad input (diagnostics), the cache of parsed files (cache) and
the canonical layout (format)."""
