"""The bundled protocols, validated, as the plain records the engine reads.

Generated from the TOML files beside it, through `b12plan.contract.protocol`
by `python tools/generate.py`: do not edit.
"""

from b12plan.contract.records import MaintenanceSpec, Protocol, RepletionSegment

BUNDLED: dict[str, Protocol] = {
    "uk-bnf-hydroxo-nonneuro": Protocol(
        id="uk-bnf-hydroxo-nonneuro",
        title="Hydroxocobalamin, no neurological involvement (BNF)",
        product="hydroxocobalamin",
        routes=["im"],
        region="uk",
        neuro=False,
        named_only=False,
        sources=["BNF-HYDROXO", "SMPC-HYDROXO"],
        findings=[],
        conventions=[
            "'3 times a week for 2 weeks' is 6 doses with gaps of 2, 2, 3, 2, 2 days [C]."
        ],
        repletion=[
            RepletionSegment(
                dose_mcg=1000,
                count=6,
                gaps_days=[2, 2, 3, 2, 2],
                provisional_count=None,
                review_day=None,
                why="1 mg 3 times a week for 2 weeks",
                source="BNF-HYDROXO",
            )
        ],
        maintenance=MaintenanceSpec(
            dose_mcg=1000,
            default="3mo",
            steps=["2mo", "3mo"],
            why="1 mg every 2–3 months",
            source="SMPC-HYDROXO",
        ),
    ),
    "uk-bnf-hydroxo-neuro": Protocol(
        id="uk-bnf-hydroxo-neuro",
        title="Hydroxocobalamin, neurological involvement (BNF)",
        product="hydroxocobalamin",
        routes=["im"],
        region="uk",
        neuro=True,
        named_only=False,
        sources=["BNF-HYDROXO", "SMPC-HYDROXO"],
        findings=[],
        conventions=[
            "Alternate-day doses run up to and including the clinician's repletion_end [C].",
            "Without repletion_end: 8 provisional doses (days 0–14), a clinical review on day 14, no maintenance yet [C].",
        ],
        repletion=[
            RepletionSegment(
                dose_mcg=1000,
                count=None,
                gaps_days=[2],
                provisional_count=8,
                review_day=14,
                why="1 mg on alternate days until no further improvement",
                source="BNF-HYDROXO",
            )
        ],
        maintenance=MaintenanceSpec(
            dose_mcg=1000,
            default="2mo",
            steps=["2mo"],
            why="1 mg every 2 months",
            source="BNF-HYDROXO",
        ),
    ),
    "uk-hydroxo-dietary": Protocol(
        id="uk-hydroxo-dietary",
        title="Hydroxocobalamin, dietary deficiency (CKS)",
        product="hydroxocobalamin",
        routes=["im"],
        region="uk",
        neuro=False,
        named_only=False,
        sources=["CKS-2019", "BNF-HYDROXO"],
        findings=[],
        conventions=[
            "Repletion as for the non-neurological protocol: 6 doses with gaps of 2, 2, 3, 2, 2 days [C]."
        ],
        repletion=[
            RepletionSegment(
                dose_mcg=1000,
                count=6,
                gaps_days=[2, 2, 3, 2, 2],
                provisional_count=None,
                review_day=None,
                why="1 mg 3 times a week for 2 weeks",
                source="BNF-HYDROXO",
            )
        ],
        maintenance=MaintenanceSpec(
            dose_mcg=1000,
            default="6mo",
            steps=["3mo", "6mo"],
            why="1 mg twice a year",
            source="CKS-2019",
        ),
    ),
    "uk-hydroxo-prophylaxis": Protocol(
        id="uk-hydroxo-prophylaxis",
        title="Hydroxocobalamin prophylaxis (SmPC)",
        product="hydroxocobalamin",
        routes=["im"],
        region="uk",
        neuro=False,
        named_only=True,
        sources=["SMPC-HYDROXO"],
        findings=[],
        conventions=["No repletion: the first maintenance dose falls on the start date [C]."],
        repletion=[],
        maintenance=MaintenanceSpec(
            dose_mcg=1000,
            default="3mo",
            steps=["2mo", "3mo"],
            why="prophylaxis, 1 mg every 2–3 months",
            source="SMPC-HYDROXO",
        ),
    ),
    "uk-hydroxo-leber": Protocol(
        id="uk-hydroxo-leber",
        title="Hydroxocobalamin, Leber's optic atrophy or tobacco amblyopia (SmPC)",
        product="hydroxocobalamin",
        routes=["im"],
        region="uk",
        neuro=True,
        named_only=False,
        sources=["SMPC-HYDROXO"],
        findings=[],
        conventions=[
            "'Twice weekly' is gaps of 3 and 4 days, in turn [C].",
            "Twice-weekly doses run while improving, up to and including the clinician's repletion_end [C].",
            "Without repletion_end: 18 provisional doses (days 0–13, 16, 20, 23, 27), a clinical review on day 28, no maintenance yet [C].",
        ],
        repletion=[
            RepletionSegment(
                dose_mcg=1000,
                count=14,
                gaps_days=[1],
                provisional_count=None,
                review_day=None,
                why="1 mg daily for 2 weeks",
                source="SMPC-HYDROXO",
            ),
            RepletionSegment(
                dose_mcg=1000,
                count=None,
                gaps_days=[3, 4],
                provisional_count=4,
                review_day=28,
                why="1 mg twice weekly while improving",
                source="SMPC-HYDROXO",
            ),
        ],
        maintenance=MaintenanceSpec(
            dose_mcg=1000,
            default="1mo",
            steps=["1mo"],
            why="1 mg every month",
            source="SMPC-HYDROXO",
        ),
    ),
    "us-fda-cyano-label": Protocol(
        id="us-fda-cyano-label",
        title="Cyanocobalamin 100 mcg, US label (FDA)",
        product="cyanocobalamin",
        routes=["im", "sc"],
        region="us",
        neuro=False,
        named_only=False,
        sources=["FDA-CYANO"],
        findings=["RETIC_GATE"],
        conventions=[
            "'Every 3–4 days for 3 weeks' is 6 doses with gaps of 3, 4, 3, 4, 3, 4 days [C]."
        ],
        repletion=[
            RepletionSegment(
                dose_mcg=100,
                count=7,
                gaps_days=[1],
                provisional_count=None,
                review_day=None,
                why="100 mcg daily for 7 days",
                source="FDA-CYANO",
            ),
            RepletionSegment(
                dose_mcg=100,
                count=7,
                gaps_days=[2],
                provisional_count=None,
                review_day=None,
                why="100 mcg on alternate days for 7 doses",
                source="FDA-CYANO",
            ),
            RepletionSegment(
                dose_mcg=100,
                count=6,
                gaps_days=[3, 4],
                provisional_count=None,
                review_day=None,
                why="100 mcg every 3–4 days for 3 weeks",
                source="FDA-CYANO",
            ),
        ],
        maintenance=MaintenanceSpec(
            dose_mcg=100,
            default="1mo",
            steps=["1mo"],
            why="100 mcg monthly for life",
            source="FDA-CYANO",
        ),
    ),
    "us-cyano-1000": Protocol(
        id="us-cyano-1000",
        title="Cyanocobalamin 1000 mcg (common US regimen)",
        product="cyanocobalamin",
        routes=["im", "sc"],
        region="us",
        neuro=False,
        named_only=False,
        sources=["STABLER-2013"],
        findings=[],
        conventions=[],
        repletion=[
            RepletionSegment(
                dose_mcg=1000,
                count=7,
                gaps_days=[1],
                provisional_count=None,
                review_day=None,
                why="1000 mcg daily for 1 week",
                source="STABLER-2013",
            ),
            RepletionSegment(
                dose_mcg=1000,
                count=4,
                gaps_days=[7],
                provisional_count=None,
                review_day=None,
                why="1000 mcg weekly for 4 weeks",
                source="STABLER-2013",
            ),
        ],
        maintenance=MaintenanceSpec(
            dose_mcg=1000,
            default="1mo",
            steps=["1mo", "2mo", "3mo"],
            why="1000 mcg every 1–3 months",
            source="STABLER-2013",
        ),
    ),
    "us-asmbs-bariatric": Protocol(
        id="us-asmbs-bariatric",
        title="Cyanocobalamin after bariatric surgery (ASMBS)",
        product="cyanocobalamin",
        routes=["im", "sc"],
        region="us",
        neuro=False,
        named_only=True,
        sources=["ASMBS-2016"],
        findings=[],
        conventions=["No repletion: the first maintenance dose falls on the start date [C]."],
        repletion=[],
        maintenance=MaintenanceSpec(
            dose_mcg=1000, default="1mo", steps=["1mo"], why="1000 mcg monthly", source="ASMBS-2016"
        ),
    ),
}
"""The protocols shipped with b12plan, by id, in catalogue order."""
