"""legalmodel: write the provisions of a law as a spec, and let a solver check it.

    .lm files --parse (Lark, LALR)--> syntax tree with spans        parse.py, syntax.py
              --resolve & check-->    CheckedSpec                   resolve.py, model.py
              --encode-->             Z3 formulas          \\        encode.py
              --evaluate-->           concrete evaluator    > analyses --> reports
                                                                    evaluate.py, analyse.py, report.py
    pipeline.py chains the stages; cli.py is the command line.
"""

__version__ = "0.1.0"
