"""Planning as a sequence of stages over one state (`state.Planning`), in the order a patient
goes through them: `engine/plan.py` lists them (`STAGES`) and runs them in turn.

Each stage reads what the stages before it worked out and adds its own: the record as of
`as_of` (`facts`), the protocol (`protocol`), the labs (`labs`), the practice's calendar
(`clinic_days`), the loading course and whether the plan is blocked (`loading`), maintenance
(`maintenance`), the numbered doses (`doses`), the follow-up tests (`follow_up`), the findings
(`findings`) and the plan document (`document`).
"""
