"""`neutralise`: deck text can be printed without driving the terminal."""

from __future__ import annotations

import io
import re

import pytest

from flashcards.terminal import (
    CONTROL_CHARS,
    NeutralisingStream,
    find_control,
    neutralise,
    neutralised_output,
)

DANGEROUS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def test_an_osc_clipboard_write_becomes_visible_text() -> None:
    shown = neutralise("before\x1b]52;c;aGVsbG8=\x1b\\after")
    assert "\x1b" not in shown
    assert shown == "before␛]52;c;aGVsbG8=␛\\after"


def test_newline_and_tab_survive() -> None:
    assert neutralise("a\tb\nc") == "a\tb\nc"


@pytest.mark.parametrize("char", ["\x07", "\x7f", "\x9b", "\x90", "\x9d", "\x00", "\x1b"])
def test_c0_del_and_c1_controls_are_replaced(char: str) -> None:
    shown = neutralise(f"x{char}[31my")
    assert DANGEROUS.search(shown) is None
    assert shown.startswith("x") and shown.endswith("[31my")


def test_every_control_but_newline_and_tab_is_replaced() -> None:
    everything = "".join(map(chr, range(0xA0)))
    shown = neutralise(everything)
    assert DANGEROUS.search(shown) is None
    assert "\n" in shown and "\t" in shown
    assert CONTROL_CHARS.search(shown) is None


def test_a_bare_carriage_return_cannot_overwrite_the_line() -> None:
    assert neutralise("real answer\rfake") == "real answer␍fake"
    assert neutralise("line one\r\nline two") == "line one\nline two"


def test_plain_text_is_returned_unchanged() -> None:
    text = "∇f(x) = Hx − b · naïve"
    assert neutralise(text) is text


def test_find_control_gives_the_first_offset_tabs_and_newlines_included() -> None:
    assert find_control("abc") is None
    assert find_control("ab\x1bc\x07") == 2
    assert find_control("a\tb") == 1
    assert find_control("a\nb") == 1
    assert find_control("a\x9bb") == 1


def test_the_stream_wrapper_neutralises_writes_and_keeps_the_stream_api() -> None:
    raw = io.StringIO()
    stream = NeutralisingStream(raw)
    assert stream.write("a\x1b]0;x\x07b\n") == len("a\x1b]0;x\x07b\n")
    assert raw.getvalue() == "a␛]0;x␇b\n"
    assert stream.isatty() is False


def test_output_is_restored_after_the_block(capsys: pytest.CaptureFixture[str]) -> None:
    with neutralised_output():
        print("deck \x1b[2J name")
    print("\x1b")
    out = capsys.readouterr().out
    assert out == "deck ␛[2J name\n\x1b\n"
