"""Spec files and baselines are read only if they are regular files inside the folder given
(issue 18): a symbolic link out of the folder, a FIFO, a device or a link loop is refused with
exit 2 and a message naming the file, never followed, opened or echoed; size limits count the
bytes read; `fmt` never writes through a link out of the folder. Run as separate processes
under a timeout and a memory cap (hostile_run.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hostile_run import assert_clean_refusal, legalmodel

SPEC = 'law L "l"\n\naction a "a" default permitted\n'
UNFORMATTED = 'law   L "l"\naction a "a"   default permitted\n'
CANARY = "LEGALMODEL_TEST_CANARY"
SECRET = "not-for-the-log-7f3a9c"


@pytest.fixture
def spec(tmp_path):
    folder = tmp_path / "spec"
    folder.mkdir()
    (folder / "ok.lm").write_text(SPEC, encoding="utf-8")
    return folder


def test_a_link_to_the_environment_is_refused_and_not_echoed(spec, tmp_path):
    (spec / "a.lm").symlink_to("/proc/self/environ")
    run = legalmodel(["check", "spec"], tmp_path, tmp_path, env={CANARY: SECRET})
    assert_clean_refusal(run, "spec/a.lm", "outside the folder")
    assert SECRET not in run.stdout + run.stderr and CANARY not in run.stdout + run.stderr


def test_a_link_out_of_the_folder_is_refused_even_to_a_good_spec(spec, tmp_path):
    (tmp_path / "elsewhere.lm").write_text(SPEC, encoding="utf-8")
    (spec / "b.lm").symlink_to(tmp_path / "elsewhere.lm")
    assert_clean_refusal(legalmodel(["check", "spec"], tmp_path, tmp_path), "spec/b.lm", "outside the folder")


def test_a_link_inside_the_folder_is_read(spec, tmp_path):
    (spec / ".shared").mkdir()  # a dot-folder is not a spec of its own
    (spec / ".shared" / "real.lm").write_text('provision 1 § "p" permit a\n', encoding="utf-8")
    (spec / "link.lm").symlink_to(".shared/real.lm")
    run = legalmodel(["check", "--format", "json", "spec"], tmp_path, tmp_path)
    assert run.exit_code == 0 and '"clean"' in run.stdout, run


def test_a_fifo_is_refused_without_waiting(spec, tmp_path):
    os.mkfifo(spec / "pipe.lm")
    assert_clean_refusal(legalmodel(["check", "spec"], tmp_path, tmp_path, timeout=30), "spec/pipe.lm", "FIFO")
    assert_clean_refusal(legalmodel(["check", "spec/pipe.lm"], tmp_path, tmp_path, timeout=30), "spec/pipe.lm", "FIFO")


def test_a_link_to_dev_zero_is_refused(spec, tmp_path):
    (spec / "zero.lm").symlink_to("/dev/zero")
    assert_clean_refusal(legalmodel(["check", "spec"], tmp_path, tmp_path, timeout=30), "spec/zero.lm")


def test_a_device_given_by_itself_is_refused(tmp_path):
    assert_clean_refusal(legalmodel(["check", "/dev/zero"], tmp_path, tmp_path, timeout=30), "/dev/zero",
                         "character device")


def test_a_link_loop_is_an_input_error(spec, tmp_path):
    (spec / "x.lm").symlink_to("y.lm")
    (spec / "y.lm").symlink_to("x.lm")
    run = legalmodel(["check", "spec"], tmp_path, tmp_path)
    assert_clean_refusal(run, "spec/x.lm", "spec/y.lm", "loop")
    assert_clean_refusal(legalmodel(["fmt", "spec"], tmp_path, tmp_path), "spec/x.lm", "loop")


@pytest.mark.parametrize("make", ["fifo", "zero"])
def test_a_baseline_that_is_not_a_regular_file_is_refused(spec, tmp_path, make):
    if make == "fifo":
        os.mkfifo(tmp_path / "baseline.json")
        where = "baseline.json"
    else:
        where = "/dev/zero"
    run = legalmodel(["check", "spec", "--baseline", where], tmp_path, tmp_path, timeout=30)
    assert_clean_refusal(run, f"the baseline `{where}`")


def test_fmt_does_not_write_through_a_link_out_of_the_folder(spec, tmp_path):
    outside = tmp_path / "outside.lm"
    outside.write_text(UNFORMATTED, encoding="utf-8")
    (spec / "o.lm").symlink_to(outside)
    run = legalmodel(["fmt", "spec"], tmp_path, tmp_path)
    assert_clean_refusal(run, "spec/o.lm", "outside the folder")
    assert outside.read_text(encoding="utf-8") == UNFORMATTED
    assert (spec / "o.lm").is_symlink()


def test_fmt_through_a_link_inside_the_folder_rewrites_its_target_and_keeps_the_link(spec, tmp_path):
    (spec / "real.lm").write_text(UNFORMATTED.replace("L", "M").replace(" a ", " b "), encoding="utf-8")
    (spec / "link.lm").symlink_to("real.lm")
    run = legalmodel(["fmt", "spec/link.lm"], tmp_path, tmp_path)
    assert run.exit_code == 0, run
    assert (spec / "link.lm").is_symlink()
    assert (spec / "real.lm").read_text(encoding="utf-8") == 'law M "l"\n\naction b "a" default permitted\n'


def test_the_size_limit_counts_the_bytes_read_not_stat(monkeypatch):
    # a file in /proc says it has 0 bytes and has more: the limit must see what is read
    from legalmodel import pipeline
    from legalmodel.syntax.diagnostics import SpecErrors

    status = Path("/proc/self/status")
    if not status.is_file() or status.stat().st_size != 0:
        pytest.skip("needs Linux's /proc")
    monkeypatch.setattr(pipeline, "MAX_FILE_BYTES", 100)
    with pytest.raises(SpecErrors) as info:
        pipeline.read_source(status, "status", folder=status.parent)
    assert "larger than the limit of 100 bytes" in info.value.diagnostics[0].message


def test_a_huge_file_is_refused_after_limit_plus_one_bytes(tmp_path, monkeypatch):
    from legalmodel.syntax import reading
    big = tmp_path / "big.lm"
    big.write_bytes(b"#" * 5000)
    reads = []
    real_read = os.read
    monkeypatch.setattr(reading.os, "read", lambda fd, n: reads.append(n) or real_read(fd, n))
    with pytest.raises(reading.Refused):
        reading.read_limited(big, 1000)
    assert sum(reads) <= 1001


def test_a_link_to_a_folder_is_not_followed(spec, tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "secret.lm").write_text('provision 1 § "p" permit nothing\n', encoding="utf-8")
    (spec / "linked").symlink_to(tmp_path / "elsewhere")
    run = legalmodel(["check", "spec"], tmp_path, tmp_path)
    assert run.exit_code == 0 and "secret" not in run.stdout + run.stderr, run


def test_what_is_not_a_regular_file_is_not_even_opened(tmp_path, monkeypatch):
    # opening a device can act on it (a tape rewinds); the refusal must come before the open
    from legalmodel.syntax import reading
    os.mkfifo(tmp_path / "pipe.lm")
    opened = []
    real_open = os.open
    monkeypatch.setattr(reading.os, "open", lambda path, *a, **k: opened.append(str(path)) or real_open(path, *a, **k))
    for path in (tmp_path / "pipe.lm", Path("/dev/zero"), Path("/dev/null")):
        with pytest.raises(reading.Refused):
            reading.read_limited(path, 1000)
    assert opened == []
