"""The command line, end to end on files: exit codes, JSON, diagnostics for bad input, help.

Exit status (cli.py): 0 clean, 1 findings, 2 bad input, 3 undecided within the time limit.
Results go to stdout, diagnostics to stderr; a user never sees a Python traceback.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from legalmodel.cli import main

from helpers import REPO, make_runner, pigeonhole

CLEAN = '''law OSL "Offentlighets- och sekretesslag (2009:400)"
fact risk: bool "concrete signs of a risk of crime"
action lämna "hand the information to the police" default permitted
provision 26 kap. 1 § "Socialtjänstsekretess" forbid lämna when not risk
goal "the police can be told about a risk" lämna is permitted whenever risk
example "no risk" given not risk expect lämna forbidden
'''

# a duty meets a prohibition where risk holds and the person is under 18
FINDINGS = '''law OSL "Offentlighets- och sekretesslag (2009:400)"
fact risk: bool "concrete signs of a risk of crime"
fact ålder: 0..30 "the age of the person"
action anmäla "report to the police" default permitted
provision 14 kap. 1 § "Anmälningsplikt" oblige anmäla when risk
provision 14 kap. 2 § "Tystnad" forbid anmäla when ålder < 18
'''

LOCATION = re.compile(r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): error\[(?P<code>[\w-]+)\]: ", re.M)


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path, monkeypatch):
    """Every test runs in its own empty folder, so the paths it prints are short and known."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")


def write(tmp_path, text: str | bytes, name: str = "spec.lm") -> Path:
    """Write a file in the test's folder; returns its path relative to it (the current folder)."""
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return Path(name)


def run(*args):
    result = make_runner().invoke(main, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"the command line crashed: {result.exception!r}") from result.exception
    assert "Traceback" not in result.stdout + result.stderr
    return result


def caret_under(stderr: str, line: int, column: int) -> None:
    """The diagnostic shows source line `line` and a caret line whose first `^` is at `column`."""
    lines = stderr.splitlines()
    for i, text in enumerate(lines):
        if re.match(rf"^{line} \| ", text):
            assert i + 1 < len(lines), stderr
            caret = lines[i + 1]
            prefix = " " * len(str(line)) + " | "
            assert caret.startswith(prefix) and "^" in caret, stderr
            assert caret.index("^") - len(prefix) + 1 == column, stderr
            return
    raise AssertionError(f"no source line {line} in:\n{stderr}")


# ---- exit status ---------------------------------------------------------------------------------

def test_clean_spec_exits_0(tmp_path):
    result = run("check", write(tmp_path, CLEAN))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "consistent: 0 errors, 0 warnings, 0 notes" in result.stdout
    assert "holds: “the police can be told about a risk”" in result.stdout


def test_findings_exit_1(tmp_path):
    result = run("check", write(tmp_path, FINDINGS))
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert out.startswith("spec.lm: findings: 1 error")  # the verdict first
    assert "error [contradiction CON-" in out
    assert "] 14 kap. 1 § OSL “Anmälningsplikt”, spec.lm:5:1" in out
    flat = " ".join(out.split())  # the paragraphs are wrapped
    assert "14 kap. 1 § OSL obliges `anmäla` where 14 kap. 2 § OSL forbids it" in flat
    assert "There 14 kap. 1 § OSL and 14 kap. 2 § OSL are in force and `anmäla` is contradictory" in flat
    logic = run("check", "--notation", "logic", write(tmp_path, FINDINGS)).stdout
    assert "error[contradiction]" in logic
    assert "in force: 14 kap. 1 § OSL, 14 kap. 2 § OSL → `anmäla` is contradictory" in logic


def test_undecided_within_the_time_limit_exits_3(tmp_path):
    # 200 ms, not 1 ms: see test_analyses' test_unknown_within_the_time_limit_is_never_reported_as_consistent
    result = run("check", write(tmp_path, pigeonhole(10)), "--timeout", "0.2", "--format", "json")
    assert result.exit_code == 3, result.output
    document = json.loads(result.stdout)
    assert document["status"] == "unknown"
    [spec] = document["specs"]
    assert spec["status"] == "unknown"
    assert [f["kind"] for f in spec["findings"]] == ["unknown"]


@pytest.mark.parametrize("limit", ["nan", "inf", "-1", "0", "ten"])
def test_a_time_limit_that_is_not_a_finite_number_of_seconds_is_a_usage_error(tmp_path, limit):
    result = run("check", write(tmp_path, CLEAN), "--timeout", limit)
    assert result.exit_code == 2, result.output
    assert f"`{limit}` is not" in result.stderr


def test_integers_beyond_64_bits_are_read_back_exactly(tmp_path):
    spec = """law OSL "o"
fact n: 0..99999999999999999999 "a very large number"
action l "l" default permitted
provision 1 kap. 1 § "x"
  forbid l when n > 99999999999999999990
example "a number past the threshold"
  given n = 99999999999999999995
  expect l permitted
"""
    result = run("check", write(tmp_path, spec), "--format", "json")
    assert result.exit_code == 1, result.output
    [spec_report] = json.loads(result.stdout)["specs"]
    [finding] = spec_report["findings"]
    assert finding["kind"] == "failed-example"
    assert "but it is forbidden" in finding["message"]


def test_init_into_a_folder_that_cannot_be_made_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run("init", blocker / "new")
    assert result.exit_code == 2, result.output
    assert "cannot create" in result.stderr


def test_the_worst_outcome_of_several_specs_decides(tmp_path):
    write(tmp_path, CLEAN, "clean/spec.lm")
    write(tmp_path, FINDINGS, "findings/spec.lm")
    assert run("check", ".").exit_code == 1
    write(tmp_path, "fact x bool\n", "broken/spec.lm")
    assert run("check", ".").exit_code == 2
    # bad input outweighs a question left undecided, whichever comes first
    write(tmp_path, pigeonhole(9), "slow/spec.lm")
    assert run("check", "slow", "broken", "--timeout", "0.2").exit_code == 2
    assert run("check", "broken", "slow", "--timeout", "0.2").exit_code == 2


def test_a_directory_holds_one_spec_per_folder_and_a_folders_files_are_read_together(tmp_path):
    write(tmp_path, 'law OSL "o"\nfact risk: bool "r"\n', "osl/vocabulary.lm")
    write(tmp_path, 'action lämna "l" default permitted\nprovision 26 kap. 1 § "s" forbid lämna when risk\n',
          "osl/provisions.lm")
    write(tmp_path, FINDINGS, "other/spec.lm")
    result = run("check", ".", "--format", "json")
    assert result.exit_code == 1
    specs = {s["spec"]: s for s in json.loads(result.stdout)["specs"]}
    assert sorted(specs) == ["osl", "other"]
    assert (specs["osl"]["status"], specs["osl"]["provisions"]) == ("clean", 1)
    assert specs["other"]["status"] == "findings"


def test_a_spec_named_twice_is_checked_once_in_first_given_order(tmp_path):
    write(tmp_path, CLEAN, "a/spec.lm")
    write(tmp_path, FINDINGS, "b/spec.lm")
    result = run("check", "b", "a", "./b", str(tmp_path / "a"), ".", "b/spec.lm", "--format", "json")
    assert result.exit_code == 1
    names = [s["spec"] for s in json.loads(result.stdout)["specs"]]
    # `b/spec.lm` alone is the same spec as the folder `b`, whose only file it is
    assert names == ["b", "a"]
    text = run("check", "a", "a/", "./a").stdout
    assert text.count("consistent:") == 1


# ---- JSON ------------------------------------------------------------------------------------------

def test_json_output_has_the_documented_keys(tmp_path):
    result = run("check", write(tmp_path, FINDINGS), "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert list(document) == ["schema", "status", "specs"]
    assert (document["schema"], document["status"]) == ("legalmodel.check/1", "findings")
    [spec] = document["specs"]
    assert list(spec) == ["spec", "status", "counts", "provisions", "findings", "goals", "examples"]
    assert spec["counts"] == {"error": 1, "warning": 0, "note": 0, "accepted": 0}
    [finding] = spec["findings"]
    assert {k: finding[k] for k in ("kind", "severity", "subject", "action", "provisions")} == {
        "kind": "contradiction", "severity": "error", "subject": "14 kap. 1 § OSL", "action": "anmäla",
        "provisions": ["14 kap. 1 § OSL", "14 kap. 2 § OSL"]}
    assert finding["location"] == {"file": "spec.lm", "line": 5, "column": 1}
    assert re.fullmatch(r"CON-[0-9a-f]{8}", finding["id"])
    [evidence] = finding["evidence"]
    assert evidence["verdicts"] == {"anmäla": "contradictory"}
    assert evidence["situation"]["risk"] is True and evidence["situation"]["ålder"] < 18


def test_json_for_bad_input(tmp_path):
    result = run("check", write(tmp_path, 'law OSL "o"\nfact x bool "x"\n'), "--format", "json")
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    assert document["status"] == "invalid"
    [spec] = document["specs"]
    assert spec["status"] == "invalid"
    assert spec["diagnostics"] == [{
        "code": "syntax", "severity": "error", "message": "unexpected `bool`",
        "file": "spec.lm", "line": 2, "column": 8, "text": "bool", "expected": ["`:`"],
    }]
    assert "spec.lm:2:8: error[syntax]" in result.stderr


def test_output_is_deterministic(tmp_path):
    path = write(tmp_path, FINDINGS)
    first, second = run("check", path, "--format", "json"), run("check", path, "--format", "json")
    assert first.stdout == second.stdout


# ---- bad input ---------------------------------------------------------------------------------------

def test_syntax_error(tmp_path):
    path = write(tmp_path, 'law OSL "o"\nfact x: bool "x"\naction a "a"\nprovision 26 kap. 1 § "s" forbid a when x == true\n')
    result = run("check", path)
    assert result.exit_code == 2
    assert result.stdout == ""
    err = result.stderr
    assert err.startswith(f"{path}:4:44: error[syntax]: unexpected `=`\n")  # the second `=`
    caret_under(err, 4, 44)
    assert "= help: use `=` to compare, not `==`" in err
    assert err.rstrip().endswith("1 error in the input; nothing was checked")


def test_several_syntax_errors_in_one_file_are_all_reported(tmp_path):
    path = write(tmp_path, 'law OSL "o"\n'
                           'fact x bool "x"\n'
                           'action a "a"\n'
                           'provision 26 kap. 1 § "s" forbid a when x &&  y\n'
                           'goal "g" a is allowed\n')
    result = run("check", path)
    assert result.exit_code == 2
    found = [(m["file"], int(m["line"]), int(m["col"])) for m in LOCATION.finditer(result.stderr)]
    assert found == [(str(path), 2, 8), (str(path), 4, 43), (str(path), 5, 15)]
    for _file, line, col in found:
        caret_under(result.stderr, line, col)
    assert "= help: write `and` instead of `&&`" in result.stderr
    assert "3 errors in the input" in result.stderr


def test_resolution_errors_are_reported_like_syntax_errors(tmp_path):
    path = write(tmp_path, 'law OSL "o"\nfact risk: bool "r"\naction a "a"\nprovision 26 kap. 1 § "s" forbid a when rsik\n')
    result = run("check", path)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}:4:41: error[unknown-name]: unknown name `rsik`\n")
    caret_under(result.stderr, 4, 41)
    assert "= help: did you mean `risk`?" in result.stderr


def test_a_file_that_is_not_utf8_text(tmp_path):
    path = write(tmp_path, b'law OSL "o"\nfact x: bool "\xff\xfe\x00\x01"\n')
    result = run("check", path)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}:2:15: error[input]: this file is not UTF-8 text")
    caret_under(result.stderr, 2, 15)
    assert "= help: save the file as UTF-8" in result.stderr


def test_a_binary_file(tmp_path):
    path = write(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    result = run("check", path)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}:1:1: error[input]: this file is not UTF-8 text")


@pytest.mark.parametrize("data", [
    b"\x00\x01\x02binary\xff\xfe",             # control bytes, then bytes that are not UTF-8
    b'law OSL "o"\nfact x\x00: bool "x"\n',    # valid UTF-8 with a NUL byte
])
def test_diagnostics_about_binary_content_print_no_control_characters(tmp_path, data):
    result = run("check", write(tmp_path, data))
    assert result.exit_code == 2
    assert LOCATION.search(result.stderr), result.stderr
    shown = [c for c in result.stderr if ord(c) < 32 and c != "\n"]
    assert not shown, f"the diagnostic echoes control characters {shown!r}:\n{result.stderr!r}"


def test_an_empty_file(tmp_path):
    path = write(tmp_path, "")
    result = run("check", path)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}:1:1: error[empty]: `{path}` declares nothing to check\n")
    assert "= help:" in result.stderr


def test_a_file_of_comments_only_is_empty_too(tmp_path):
    path = write(tmp_path, "# nothing yet\n")
    result = run("check", path)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}:1:1: error[empty]")


def test_a_path_that_does_not_exist(tmp_path):
    result = run("check", "missing.lm")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "legalmodel: `missing.lm` does not exist\n"


def test_a_directory_without_specs(tmp_path):
    write(tmp_path, "not a spec", "notes/readme.txt")
    result = run("check", "notes")
    assert result.exit_code == 2
    assert result.stderr == "legalmodel: `notes` holds no `.lm` files\n"


# ---- help ---------------------------------------------------------------------------------------------

def test_group_help_shows_an_example_spec_that_checks(tmp_path):
    result = run("--help")
    assert result.exit_code == 0
    assert "for example:" in result.stdout
    assert "legalmodel check specs/" in result.stdout
    start = result.stdout.index("for example:") + len("for example:")
    end = result.stdout.index("Start with:")
    block = result.stdout[start:end].replace("\b", "")  # see test_help_prints_no_control_characters
    example = "\n".join(line.strip() for line in block.splitlines() if line.strip())
    assert example.startswith("law OSL")
    checked = run("check", write(tmp_path, example + "\n"))
    assert checked.exit_code in (0, 1), checked.stderr  # the example is a valid spec


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"]])
def test_help_prints_no_control_characters(args):
    # click's `\b` (keep this paragraph as written) works only at the start of a paragraph;
    # anywhere else it is printed as a backspace character
    result = run(*args)
    shown = sorted({c for c in result.stdout if ord(c) < 32 and c != "\n"})
    assert not shown, f"the help prints control characters {shown!r}"


def test_check_help_shows_examples_and_exit_codes():
    result = run("check", "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    assert "legalmodel check specs/" in result.stdout
    assert "--format json" in result.stdout
    assert "0 consistent, 1 findings, 2 bad input, 3 undecided" in " ".join(result.stdout.split())


# ---- a real process --------------------------------------------------------------------------------------

def test_a_real_process(tmp_path):
    good = write(tmp_path, FINDINGS, "findings.lm")
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""), NO_COLOR="1")
    done = subprocess.run([sys.executable, "-m", "legalmodel.cli", "check", str(good), "--format", "json"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["specs"][0]["findings"][0]["kind"] == "contradiction"
    bad = write(tmp_path, 'law OSL "o"\nfact x bool "x"\n', "bad.lm")
    done = subprocess.run([sys.executable, "-m", "legalmodel.cli", "check", str(bad)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith(f"{bad}:2:8: error[syntax]: unexpected `bool`\n")
    assert "Traceback" not in done.stderr


def test_a_real_process_writes_all_of_a_long_report_before_it_ends(tmp_path, monkeypatch):
    """The command line ends its process without tearing down what it built (cli._leave):
    a report with findings, longer than a pipe holds, reaches the reader whole, and the
    process ends with the findings' exit status."""
    lines = ['law L "many contradictions"', *[f'fact b{i}: bool "circumstance {i}"' for i in range(30)],
             'action act "act"']
    for i in range(30):
        lines += [f'provision {i + 1} § "duty {i}" oblige act when b{i}',
                  f'provision {i + 1} a § "ban {i}" forbid act when b{i}']
    write(tmp_path, "\n".join(lines) + "\n", "many.lm")
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""), NO_COLOR="1")
    args = ["check", "many.lm", "--format", "json"]
    done = subprocess.run([sys.executable, "-m", "legalmodel.cli", *args],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    monkeypatch.chdir(tmp_path)  # the report names the spec as it was given, from where it was run
    in_process = run(*args)
    assert len(done.stdout.encode()) > 65536  # more than a pipe holds at once
    assert done.returncode == in_process.exit_code == 1, done.stderr
    assert done.stdout == in_process.stdout


# ---- options that conflict or are ambiguous: a usage error, never silently ignored ----------------

OSL = str(REPO / "specs" / "osl")
LAW = str(REPO / "docs" / "amendment-tutorial" / "law")


def usage_error(*args) -> str:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("legalmodel: "), result.stderr
    return result.stderr


def test_diff_of_two_specs_applies_as_of_to_both_and_says_so():
    result = run("diff", LAW, LAW, "--as-of", "2016-10-05")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"diff: {LAW} on 2016-10-05 → {LAW} on 2016-10-05\n")
    # the 2016 law differs from the law as last amended, so the date was used
    assert run("diff", LAW, LAW, "--from", "2016-10-05").exit_code == 0
    assert "`lämna_uppgift` goes from forbidden to permitted" in run("diff", LAW, LAW, "--from", "2016-10-05").stdout
    logic = run("diff", LAW, LAW, "--from", "2016-10-05", "--notation", "logic").stdout
    assert "`lämna_uppgift`: forbidden → permitted" in logic


def test_diff_in_prose_says_each_region_in_words_in_either_language():
    english = run("diff", LAW, "--from", "2016-10-05", "--to", "2020-08-01").stdout
    swedish = run("--lang", "sv", "diff", LAW, "--from", "2016-10-05", "--to", "2020-08-01").stdout
    flat_en, flat_sv = " ".join(english.split()), " ".join(swedish.split())
    assert "1. Where 26:1: it is not the case that det står klart" in flat_en  # no `reads` here: the description
    assert ("except where the authority that receives the information is polisen, the age of the person "
            "the information concerns is at most 20") in flat_en
    assert "before, forbidden by 26 kap. 1 § OSL; after, permitted by 10 kap. 18 b § OSL" in flat_en
    assert "`lämna_uppgift` går från förbjudet till tillåtet i 1 område av situationer." in flat_sv
    assert "utom när the authority that receives the information är polisen" in flat_sv
    assert "∧" not in english and "¬" not in english


def test_diff_rejects_dates_together_with_an_amendment_or_a_proposal():
    assert "cannot be combined with --from and --to" in usage_error(
        "diff", OSL, "--from", "2016-10-05", "--to", "2020-08-01", "--amendment", "2020:575")
    assert "cannot be combined with --from" in usage_error(
        "diff", OSL, "--from", "2016-10-05", "--proposal", f"{OSL}/motion.lm")
    assert "not both" in usage_error("diff", OSL, "--as-of", "2016-10-05", "--to", "2020-08-01")
    assert "--amendment or --proposal, not both" in usage_error(
        "diff", OSL, "--amendment", "2020:575", "--proposal", f"{OSL}/motion.lm")
    assert "--as-of does not apply to SFS 2020:575" in usage_error(
        "diff", OSL, "--amendment", "2020:575", "--as-of", "2016-10-05")


def test_diff_of_two_specs_rejects_an_amendment():
    assert "with two specs, leave it out" in usage_error("diff", LAW, LAW, "--amendment", "2020:575")


@pytest.mark.slow
def test_an_sfs_number_that_names_two_amendments_is_ambiguous():
    err = usage_error("diff", OSL, "--amendment", "2025:400")
    assert "`2025:400` names 2 amendments" in err
    # each named with where it starts (the line numbers follow the spec's layout, not asserted here)
    assert re.search(r"“Socialtjänstlag \(2025:400\)” \([^)]*sol2025_400\.lm:\d+:1\)", err), err
    assert re.search(r"“Upphävande av socialtjänstlagen \(2001:453\)” \([^)]*sol2025_400\.lm:\d+:1\)", err), err
    # the title picks one
    result = run("diff", OSL, "--amendment", "Socialtjänstlag (2025:400)")
    assert result.exit_code == 0, result.output


def test_a_fact_given_twice_is_a_usage_error():
    err = usage_error("explain", LAW, "--given", "ålder=20", "--given", "ålder=30")
    assert "the fact `ålder` is given twice (`--given ålder=20` and `--given ålder=30`)" in err


# ---- citations on the command line ----------------------------------------------------------------

TWO_LAWS = '''law OSL "Offentlighets- och sekretesslag (2009:400)"
law UBL "Lag (2025:170) om skyldighet att lämna uppgifter"
fact risk: bool "a risk of crime"
fact begäran: bool "the police ask"
action lämna "hand the information to the police" default permitted
provision 26 kap. 1 § OSL "Socialtjänstsekretess" forbid lämna when not risk
provision 4 § UBL "Kontaktuppgifter" oblige lämna when begäran and risk
provision 4 § OSL "Ett annat nummer" permit lämna when risk and not begäran
'''


def test_impact_reads_a_citation_without_a_law_as_history_does():
    # the example in `legalmodel impact --help`
    result = run("impact", OSL, "10 kap. 18 a §", "--as-of", "2025-12-01")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"diff: {OSL} with 10 kap. 18 a § OSL → {OSL} without 10 kap. 18 a § OSL\n")


def test_impact_asks_for_the_law_when_several_laws_have_the_citation(tmp_path):
    spec = write(tmp_path, TWO_LAWS)
    assert run("impact", spec, "26 kap. 1 §").exit_code == 0
    err = usage_error("impact", spec, "4 §")
    assert "`4 §` names a provision in 2 laws: 4 § UBL, 4 § OSL; name the law, like `4 § UBL`" in err
    assert run("impact", spec, "4 § UBL").exit_code == 0


@pytest.mark.parametrize("date", ["20161005", "2016-W40-3", "2016-10-5", "2016-02-30", "2016-10-05T00:00"])
def test_a_date_is_yyyy_mm_dd_and_a_real_day(date):
    result = run("check", OSL, "--as-of", date)
    assert result.exit_code == 2, result.output
    assert f"`{date}` is not a date" in result.stderr and "write it as YYYY-MM-DD, like 2016-10-05" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("command", ["impact", "history"])
def test_a_citation_that_does_not_parse_is_an_error_of_the_argument(command):
    err = usage_error(command, OSL, "hello")
    assert "<input>" not in err and ":0:0" not in err
    assert err == ("legalmodel: the CITATION argument `hello` is not a citation; expected one paragraph, "
                   "like `10 kap. 18 a §`, `10 kap. 18 a § OSL` or `OSL 10:18 a`\n")
    assert "the CITATION argument `10 kap. 1–3 §§` names more than one paragraph" in usage_error(
        command, OSL, "10 kap. 1–3 §§")


def test_history_counts_in_words_that_agree_with_the_number():
    result = run("history", LAW)
    assert result.stdout.startswith(f"{LAW}: 1 amendment, 1 proposal\n"), result.stdout
    assert re.match(rf"{re.escape(str(OSL))}: \d+ amendments, 1 proposal\n", run("history", OSL).stdout)


def test_impact_of_a_provision_not_yet_in_force_says_when_it_enters_into_force():
    err = usage_error("impact", OSL, "10 kap. 22 a § OSL", "--as-of", "2016-10-05")
    assert err == ("legalmodel: 10 kap. 22 a § OSL is not yet in force on 2016-10-05: SFS 2020:575 puts it into "
                   "force on 2020-08-01; give --as-of 2020-08-01 or later\n")
    err = usage_error("impact", OSL, "12 kap. 10 § SoL", "--as-of", "2025-08-01")
    assert "12 kap. 10 § SoL is no longer in force on 2025-08-01: it was in force until 2025-07-01" in err


def test_why_not_under_a_contradiction_names_the_provision_in_force_beside_it(tmp_path):
    spec = write(tmp_path, FINDINGS)
    result = run("explain", spec, "--given", "risk", "--given", "ålder=10", "--why-not", "obligatory")
    assert result.exit_code == 0, result.output
    unwrapped = result.stdout.replace("\n    ", " ")  # a long line goes on, indented, on the next
    assert ("  why not: 14 kap. 1 § OSL: it applies, but 14 kap. 2 § OSL (forbids) is in force too: "
            "a contradiction\n") in unwrapped
    assert "but  outranks" not in result.stdout


def test_progress_shows_on_a_terminal_after_two_seconds_and_is_cleared_at_the_end(monkeypatch):
    """issue 5: a long run shows which analysis and how far on stderr, on a terminal only."""
    import io

    from legalmodel import cli

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    clock = [0.0]
    monkeypatch.setattr(cli.time, "perf_counter", lambda: clock[0])
    terminal = Terminal()
    monkeypatch.setattr(cli.sys, "stderr", terminal)
    report = cli._progress("law.lm")
    report("dead provisions", 3, 10)
    assert terminal.getvalue() == ""  # nothing in the first two seconds
    clock[0] = 2.5
    report("dead provisions", 4, 10)
    assert terminal.getvalue().endswith("law.lm: dead provisions 4/10")
    report(None, 0, 0)
    assert terminal.getvalue().endswith("\r\033[K")


def test_progress_in_a_log_is_a_plain_line_now_and_then(monkeypatch):
    """issue 24: where stderr is not a terminal (CI), a long check says now and then how far
    it is, in plain lines a log can hold; a short one says nothing."""
    import io

    from legalmodel import cli

    clock = [0.0]
    monkeypatch.setattr(cli.time, "perf_counter", lambda: clock[0])
    log = io.StringIO()
    monkeypatch.setattr(cli.sys, "stderr", log)
    report = cli._progress("law.lm")
    for clock[0] in (0.5, 2.5, 4.9):
        report("collisions", 10, 400)
    assert log.getvalue() == ""  # a check of a few seconds leaves the log alone
    clock[0] = 5.0
    report("collisions", 50, 400)
    clock[0] = 12.0
    report("idle overrides", 7, 900)  # within PLAIN_PROGRESS_EVERY of the last line: not shown
    clock[0] = 20.5
    report("idle overrides", 300, 900)
    report(None, 0, 0)
    assert log.getvalue() == ("law.lm: collisions 50/400, 5 s so far\n"
                              "law.lm: idle overrides 300/900, 20 s so far\n")


def test_check_and_diff_say_each_step_and_when_they_are_done():
    from helpers import load
    from legalmodel.analyses.analyse import analyse
    from legalmodel.analyses.diff import diff

    text = (REPO / "specs" / "tutorial" / "tutorial.lm").read_text(encoding="utf-8")
    spec = load(text)
    told = []
    analyse(spec, progress=lambda step, done, total: told.append(step))
    steps = [s for s in told if s is not None]
    assert told[-1] is None and steps[0] == "dead provisions" and "goals" in steps and "examples" in steps
    wider = load(text.replace("ålder < 21", "ålder < 25"))
    told.clear()
    result = diff(spec, wider, progress=lambda step, done, total: told.append(step))
    assert result.covers and told[-1] is None
    assert any(s and "regions" in s for s in told)


def test_explain_says_where_each_verdict_holds_in_words_or_in_formulas():
    args = ("explain", LAW, "--as-of", "2016-10-05", "--given", "ålder=25", "--given", "mottagare=polisen",
            "--given", "risk_terror")
    prose, logic = run(*args).stdout, run(*args, "--notation", "logic").stdout
    assert "  forbidden where 26:1: it is not the case that det står klart att uppgiften kan röjas" in prose
    assert "  forbidden where ¬står_klart_utan_men, decided by 26 kap. 1 § OSL" in logic
    assert prose.splitlines()[0] == logic.splitlines()[0]  # the given facts are said the same way


def test_progress_lines_in_a_log_never_reach_a_json_report(monkeypatch):
    """issue 24: with progress lines due at once (a slow machine), `check --format json`
    writes them to stderr only: stdout is the same JSON as without them."""
    from legalmodel import cli

    monkeypatch.chdir(REPO)
    args = ["check", "specs/tutorial", "--format", "json", "--jobs", "1"]
    quiet = make_runner().invoke(main, args)
    monkeypatch.setattr(cli, "PLAIN_PROGRESS_AFTER", 0.0)
    monkeypatch.setattr(cli, "PLAIN_PROGRESS_EVERY", 0.0)
    told = make_runner().invoke(main, args)
    assert told.exit_code == quiet.exit_code == 0, told.output
    assert told.stdout == quiet.stdout
    json.loads(told.stdout)
    lines = told.stderr.splitlines()
    assert lines and all(re.fullmatch(r"specs/tutorial: .*, \d+ s so far", line) for line in lines), lines
    assert "\r" not in told.stderr and "\033" not in told.stderr
