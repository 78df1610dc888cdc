"""Complaints and discipline in the staff console: a public complaint is taken up and decided
from its list, with the fields a decision needs; the decided list keeps it, and a stale form
shows the complaint as it is now."""

from __future__ import annotations

from certboard_core.testing.plugin import Minter
from tests.e2e.helpers import data_of
from tests.e2e.test_discipline import FILE

from .conftest import Console
from .test_pages import certified, text_of
from .test_staff_lists import hidden_of, items_of

TAKE_UP = """
mutation T($id: ID!, $v: Int!) { takeUpComplaint(id: $id, expectedVersion: $v, note: "Mine.") {
  id
} }
"""


async def test_a_complaint_taken_up_and_decided(console: Console, mint: Minter) -> None:
    number = await certified(console.system, mint)
    await data_of(console.system, FILE, {"n": number})
    await console.sign_in("staff", "sam")
    page = await console.client.get("/staff/complaints")
    words = text_of(page.text)
    assert "1 waiting to be taken up, 0 under investigation." in words
    assert "What was said Shared a client's story without consent." in words
    (complaint,) = items_of(page.text)
    taken = await console.client.post(
        f"/staff/complaints/{complaint}/take-up-complaint",
        data={**hidden_of(page.text, complaint, "take-up-complaint"), "note": "Calling both."},
    )
    assert taken.status_code == 303
    page = await console.client.get(taken.headers["location"])
    assert "Done: the complaint is under investigation." in text_of(page.text)
    assert "Investigator staff:sam: Calling both." in text_of(page.text)

    # An outcome is one of the list; a malformed last day is named before anything is sent.
    path = f"/staff/complaints/{complaint}/decide-complaint"
    hidden = hidden_of(page.text, complaint, "decide-complaint")
    typed = {"outcome": "SUSPENSION", "reasons": "Admitted.", "endsOn": "30/09/2026"}
    bad = await console.client.post(path, data={**hidden, **typed})
    assert bad.status_code == 422
    assert "Field endsOn" in text_of(bad.text)
    assert 'value="SUSPENSION" required checked' in bad.text
    decided = await console.client.post(path, data={**hidden, **typed, "endsOn": "2026-09-30"})
    assert decided.status_code == 303
    assert items_of((await console.client.get("/staff/complaints")).text) == []
    done = text_of((await console.client.get("/staff/complaints/decided")).text)
    assert "Outcome Suspension: Admitted." in done

    # The form read before the decision is stale now: nothing changes, the page says how it is.
    stale = await console.client.post(
        f"/staff/complaints/{complaint}/take-up-complaint", data={**hidden, "note": "Again."}
    )
    # The service refuses on the status before the version.
    assert stale.status_code == 422
    assert "cannot take up a complaint that is decided" in text_of(stale.text)
    assert "As it is now: Complaint received" in text_of(stale.text)
    assert "Status: Decided" in text_of(stale.text)
