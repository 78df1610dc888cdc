"""Client file names reduced to safe display names."""

from __future__ import annotations

import pytest

from certboard_core.storage import MAX_NAME_CHARS, display_name


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("diploma.pdf", "diploma.pdf"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\System32\\cmd.exe", "cmd.exe"),
        ("C:\\Users\\maria\\Desktop\\id card.jpg", "id card.jpg"),
        ("C:id.jpg", "id.jpg"),
        ("/var/www/../id.jpg", "id.jpg"),
        ("id\x00.jpg\x00", "id.jpg"),
        ("line\r\nbreak\t.pdf", "linebreak.pdf"),
        ("\x1b[2Jid\x7f.pdf", "[2Jid.pdf"),
        # A right-to-left override would show "invoicefdp.exe" as "invoiceexe.pdf".
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("zero\u200bwidth\ufeff.pdf", "zerowidth.pdf"),
        (".htaccess", "htaccess"),
        (" . .hidden.pdf ", "hidden.pdf"),
        ("Certificación de José.pdf", "Certificación de José.pdf"),
        ("e\u0301.pdf", "\u00e9.pdf"),  # one way to write é, whichever the client used
    ],
)
def test_a_name_keeps_only_what_is_safe_to_show(given: str, shown: str) -> None:
    assert display_name(given) == shown


@pytest.mark.parametrize("given", [None, "", "   ", "..", "../", "dir/", "\x00\x01", "\u202e"])
def test_nothing_left_is_no_name(given: str | None) -> None:
    assert display_name(given) is None


def test_a_long_name_is_cut_keeping_its_extension() -> None:
    shown = display_name("a" * 1000 + ".pdf")
    assert shown == "a" * (MAX_NAME_CHARS - 4) + ".pdf"
    assert len(display_name("b." + "c" * 1000) or "") == MAX_NAME_CHARS
    assert len(display_name("\U0001f600" * 500) or "") == MAX_NAME_CHARS
