"""The reader's line cutting is textwrap's, line for line, on any text it may be given."""

import textwrap

from hypothesis import example, given, strategies as st

from legalmodel.reports.reader import _wrapped

WORD = st.text(alphabet=st.sampled_from("abcåäö§\u00a0.,-–"), min_size=1, max_size=14)
SPACE = st.sampled_from([" ", " ", " ", "  ", "\t", "\n"])


@st.composite
def texts(draw):
    words = draw(st.lists(WORD, max_size=30))
    text = ""
    for i, word in enumerate(words):
        text += (draw(SPACE) if i else "") + word
    if draw(st.booleans()):
        text = draw(SPACE) + text + draw(SPACE)
    return text


@given(texts(), st.integers(min_value=1, max_value=40), st.sampled_from(["", "  ", "    "]))
@example("a a a a", 1, "    ")  # an indent wider than the line: a word a line
@example("a \u00a0 b", 3, "")  # a word of no-break spaces only, which textwrap drops
def test_wrapped_is_textwrap(text, width, indent):
    expected = textwrap.wrap(text, width=width, initial_indent=indent, subsequent_indent=indent + "  ",
                             break_long_words=False, break_on_hyphens=False)
    assert _wrapped(text, width, indent, indent + "  ") == expected


def test_a_long_word_stands_alone_unbroken():
    assert _wrapped("a verylongword b", 6, "", "  ") == ["a", "  verylongword", "  b"]
