"""What a renewal needs by standing: refused with a stable code, or its fees and conditions."""

from __future__ import annotations

from datetime import date

import pytest

from applications.certification.rules import CertificationStatus
from applications.policy import build_policy
from applications.renewal.rules import standing
from applications.renewal.terms import FeeDue, RenewalFee, renewal_terms

CA, MT = build_policy("CA"), build_policy("MT")
S = CertificationStatus
F = RenewalFee
V = date(2026, 12, 31)


def terms_on(today: date, policy=MT, stored: CertificationStatus = S.ACTIVE, valid_through=V):
    return renewal_terms(standing(valid_through, today, stored, policy), policy)


def test_before_the_window_renewal_is_refused_with_its_opening_day() -> None:
    terms = terms_on(date(2026, 10, 1))
    assert (terms.allowed, terms.code) == (False, "RENEWAL_NOT_OPEN")
    assert terms.message == "renewal opens on 2026-10-02"


def test_in_the_window_the_renewal_fee() -> None:
    terms = terms_on(date(2026, 10, 2))
    assert (terms.allowed, terms.code, terms.fees) == (
        True,
        "RENEWAL_OPEN",
        (FeeDue(F.RENEWAL, 9300),),
    )
    # MT: attestation, no proof; CA: the ledger must show the hours.
    assert terms.ce_proof_required is False
    ca = terms_on(date(2028, 5, 3), CA, valid_through=date(2028, 5, 3))
    assert (ca.code, ca.ce_proof_required, ca.total_cents) == ("RENEWAL_OPEN", True, 8000)


@pytest.mark.parametrize("today", [date(2027, 1, 1), date(2027, 2, 14)])
def test_lapsed_renews_with_the_late_fee(today: date) -> None:
    terms = terms_on(today)
    assert (terms.allowed, terms.code) == (True, "RENEWAL_LATE")
    assert [fee.kind for fee in terms.fees] == [F.RENEWAL, F.LATE]
    assert (terms.mandatory_audit, terms.all_accrued_ce) == (False, False)


@pytest.mark.parametrize("today", [date(2027, 2, 15), date(2028, 12, 31)])
def test_expired_mt_is_reinstated_with_all_ce_the_fees_and_an_audit(today: date) -> None:
    terms = terms_on(today)
    assert (terms.allowed, terms.code) == (True, "REINSTATEMENT")
    assert [fee.kind for fee in terms.fees] == [F.RENEWAL, F.LATE, F.REINSTATEMENT]
    assert (terms.mandatory_audit, terms.all_accrued_ce) == (True, True)


def test_expired_ca_is_reinstated_for_its_fees() -> None:
    terms = terms_on(date(2028, 5, 4), CA, valid_through=date(2028, 5, 3))
    assert (terms.code, terms.total_cents) == ("REINSTATEMENT", 8000 + 0 + 8000)
    assert (terms.mandatory_audit, terms.all_accrued_ce, terms.ce_proof_required) == (
        False,
        False,
        True,
    )


@pytest.mark.parametrize(
    ("today", "stored", "code"),
    [
        (date(2029, 1, 1), S.ACTIVE, "CERTIFICATION_TERMINATED"),
        (date(2026, 11, 1), S.SUSPENDED, "CERTIFICATION_SUSPENDED"),
        (date(2026, 11, 1), S.REVOKED, "CERTIFICATION_REVOKED"),
        (date(2027, 1, 1), S.REVOKED, "CERTIFICATION_REVOKED"),
    ],
)
def test_refused(today: date, stored: CertificationStatus, code: str) -> None:
    terms = terms_on(today, stored=stored)
    assert (terms.allowed, terms.code, terms.fees) == (False, code, ())
