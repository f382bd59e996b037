"""`fmt -` and `check -` read the spec from standard input (issue 18), for an editor's
format-on-save: `fmt -` prints the canonical text whether or not it changed, and on bad input
prints nothing on stdout and exits 2, so the editor keeps its buffer."""

from __future__ import annotations

from hostile_run import legalmodel

MESSY = 'law   L "l"\r action a "a"   default permitted\n'
CANONICAL = 'law L "l"\n\naction a "a" default permitted\n'


def test_fmt_prints_the_canonical_text(tmp_path):
    run = legalmodel(["fmt", "-"], tmp_path, tmp_path, stdin=MESSY.encode())
    assert (run.exit_code, run.stdout, run.stderr) == (0, CANONICAL, "")
    again = legalmodel(["fmt", "-"], tmp_path, tmp_path, stdin=CANONICAL.encode())
    assert (again.exit_code, again.stdout) == (0, CANONICAL)


def test_fmt_check_says_whether_stdin_would_change(tmp_path):
    run = legalmodel(["fmt", "--check", "-"], tmp_path, tmp_path, stdin=MESSY.encode())
    assert (run.exit_code, run.stdout) == (1, "would reformat <stdin>\n")
    assert legalmodel(["fmt", "--check", "-"], tmp_path, tmp_path, stdin=CANONICAL.encode()).exit_code == 0


def test_fmt_of_bad_input_prints_nothing_and_exits_2(tmp_path):
    run = legalmodel(["fmt", "-"], tmp_path, tmp_path, stdin=b'law L "l\n')
    assert run.exit_code == 2 and run.stdout == "" and run.stderr.startswith("<stdin>:1:7: error[syntax]")


def test_check_reads_stdin(tmp_path):
    run = legalmodel(["check", "-"], tmp_path, tmp_path, stdin=CANONICAL.encode())
    assert run.exit_code == 0 and run.stdout.startswith("<stdin>: consistent"), run
    bad = legalmodel(["check", "-"], tmp_path, tmp_path,
                     stdin=(CANONICAL + 'provision 1 § "p" permit zz\n').encode())
    assert bad.exit_code == 2 and bad.stderr.startswith("<stdin>:4:26: error[unknown-name]"), bad


def test_a_file_named_dash_is_still_a_file(tmp_path):
    (tmp_path / "-").write_text(MESSY, encoding="utf-8")
    run = legalmodel(["fmt", "./-"], tmp_path, tmp_path, stdin=b"")
    assert run.exit_code == 0 and (tmp_path / "-").read_text(encoding="utf-8") == CANONICAL
