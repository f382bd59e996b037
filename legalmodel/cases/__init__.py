"""Cases written by lawyers (issue 23): case tables read and checked (table.py), run against
the law on each of their dates with coverage per provision (run.py), and explanations kept
as records and replayed (record.py). Rendering is in reports/cases.py."""
