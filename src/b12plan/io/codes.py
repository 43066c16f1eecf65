"""The one table of clinical codes b12plan reads: LOINC codes -> analytes, SNOMED CT codes (and
plain words) -> causes. The README lists the same table ("Codes read from FHIR").

Only codes whose meaning is one analyte b12plan reads are listed; an Observation under any
other code (a blood pressure, a weight) is not about B12 treatment and is left out, with one
notice counting them; nothing is guessed from a display name.
"""

from __future__ import annotations

from typing import Final

LOINC_ANALYTES: Final[dict[str, str]] = {
    # total B12 (cobalamin), serum or plasma
    "2132-9": "b12",  # Cobalamin (Vitamin B12) [Mass/volume] in Serum or Plasma
    "14685-2": "b12",  # Cobalamin (Vitamin B12) [Moles/volume] in Serum or Plasma
    "16695-9": "b12",  # Cobalamin (Vitamin B12) [Mass/volume] in Serum or Plasma (older)
    # active B12 (holotranscobalamin)
    "33915-0": "active-b12",  # Holotranscobalamin [Moles/volume] in Serum or Plasma
    # methylmalonic acid
    "13964-5": "mma",  # Methylmalonate [Moles/volume] in Serum or Plasma
    "1656-8": "mma",  # Methylmalonate [Mass/volume] in Serum or Plasma
    # homocysteine
    "13965-9": "homocysteine",  # Homocysteine [Moles/volume] in Serum or Plasma
    # full blood count
    "718-7": "hb",  # Hemoglobin [Mass/volume] in Blood
    "59260-0": "hb",  # Hemoglobin [Moles/volume] in Blood
    "787-2": "mcv",  # MCV [Entitic volume] by Automated count
    "30428-7": "mcv",  # MCV [Entitic volume]
    "777-3": "platelets",  # Platelets [#/volume] in Blood by Automated count
    "26515-7": "platelets",  # Platelets [#/volume] in Blood
    "4679-7": "retic",  # Reticulocytes/100 erythrocytes in Blood
    "14196-0": "retic",  # Reticulocytes [#/volume] in Blood
    # folate
    "2284-8": "folate",  # Folate [Mass/volume] in Serum or Plasma
    "14732-2": "folate",  # Folate [Moles/volume] in Serum or Plasma
    # chemistry
    "2823-3": "potassium",  # Potassium [Moles/volume] in Serum or Plasma
    "6298-4": "potassium",  # Potassium [Moles/volume] in Blood
    "33914-3": "egfr",  # eGFR (MDRD) per 1.73 sq M
    "62238-1": "egfr",  # eGFR (CKD-EPI) per 1.73 sq M
    "98979-8": "egfr",  # eGFR (CKD-EPI 2021) per 1.73 sq M
    "6301-6": "inr",  # INR in Platelet poor plasma by Coagulation assay
    "34714-6": "inr",  # INR in Blood by Coagulation assay
}
"""LOINC code -> analyte (`Observation.code.coding` with system http://loinc.org)."""

SNOMED_CAUSES: Final[dict[str, str]] = {
    "84027009": "autoimmune-gastritis",  # Pernicious anemia
    "235042004": "autoimmune-gastritis",  # Autoimmune atrophic gastritis
    "65801008": "gastrectomy",  # Excision of stomach (gastrectomy)
    "161656000": "gastrectomy",  # History of gastrectomy
    "187802007": "bariatric-surgery",  # Gastric bypass (bariatric surgery)
    "271981002": "ileal-resection",  # Ileectomy (resection of ileum)
    "32230006": "malabsorption",  # Malabsorption syndrome
    "190634004": "dietary",  # Dietary vitamin B12 deficiency anaemia
    "404920000": "dietary",  # Vegan diet (finding)
    "111571004": "medication",  # Drug-induced vitamin B12 deficiency (as coded by some systems)
    "191141008": "medication",  # Drug-induced vitamin B12 deficiency anaemia
    "7891000119103": "nitrous-oxide",  # Nitrous oxide abuse
    "190632000": "unknown",  # Vitamin B12 deficiency anaemia (cause not stated)
    "190606003": "unknown",  # Vitamin B12 deficiency (cause not stated)
}
"""SNOMED CT code -> cause (`Condition.code.coding` with system http://snomed.info/sct). A
code meaning only "B12 deficiency" gives `unknown`; a more specific Condition on the same
patient wins over it."""

CAUSE_WORDS: Final[dict[str, str]] = {
    "pernicious anaemia": "autoimmune-gastritis",
    "pernicious anemia": "autoimmune-gastritis",
    "autoimmune gastritis": "autoimmune-gastritis",
    "gastrectomy": "gastrectomy",
    "bariatric surgery": "bariatric-surgery",
    "gastric bypass": "bariatric-surgery",
    "ileal resection": "ileal-resection",
    "malabsorption": "malabsorption",
    "dietary": "dietary",
    "vegan": "dietary",
    "medication": "medication",
    "metformin": "medication",
    "nitrous oxide": "nitrous-oxide",
}
"""Words in `Condition.code.text` (lower case, anywhere in the text) -> cause, for Conditions
without a coding b12plan knows; checked longest first."""

LOINC_SYSTEM: Final = "http://loinc.org"
SNOMED_SYSTEM: Final = "http://snomed.info/sct"
