"""The guideline sources every rule and protocol value cites (docs/clinical-rules.md)."""

from __future__ import annotations

from typing import Final

SOURCES: Final[dict[str, str]] = {
    "NICE-NG239": (
        "NICE guideline NG239, Vitamin B12 deficiency in over 16s: diagnosis and management "
        "(6 Mar 2024)"
    ),
    "BNF-HYDROXO": "BNF hydroxocobalamin (dosing updated 2021)",
    "SMPC-HYDROXO": "UK SmPC hydroxocobalamin 1 mg/mL",
    "CKS-2019": "NICE CKS B12 deficiency (2019)",
    "FDA-CYANO": "US label, cyanocobalamin injection 1000 mcg/mL",
    "STABLER-2013": "Stabler, NEJM 2013;368:149",
    "ASMBS-2016": "ASMBS integrated health micronutrient guidelines 2016",
    "MHRA-2023": "MHRA Drug Safety Update, December 2023 (cobalt allergy)",
    "SPS-ANTICOAG": "NHS SPS advice on IM injections with anticoagulants",
    "SPS-NG239": "NHS SPS commentary on NG239 and its visual summary of ongoing care",
    "NHS-PRACTICE": "Common NHS practice for follow-up tests (b12plan convention)",
    "BSH-2014-FOLATE": "BSH guideline on cobalamin and folate disorders (2014): the folate cut-off",
    "B12PLAN": "b12plan convention, stated where it is applied",
}
