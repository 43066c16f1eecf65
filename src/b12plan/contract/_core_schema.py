"""pydantic-core schemas of the input documents, validating into plain records.

Generated from the models in `b12plan.contract.models`
by `python tools/generate.py`: do not edit.
"""

from typing import Any

from b12plan.contract import records as r
from b12plan.contract import validators as v


def patient() -> Any:
    """The patient document's schema, for `pydantic_core.SchemaValidator`."""
    return {
        "type": "definitions",
        "schema": {
            "type": "dataclass",
            "cls": r.Patient,
            "fields": [
                "start",
                "cause",
                "dob",
                "sex",
                "neuro",
                "product",
                "route",
                "strength",
                "protocol",
                "labs",
                "given",
                "repletion_end",
                "repletion_done",
                "symptoms_returned",
                "conditions",
                "interval",
                "override_reason",
                "interval_changes",
                "missed",
                "clinic",
                "until",
                "stopped",
                "ref",
            ],
            "slots": True,
            "config": {
                "extra_fields_behavior": "forbid",
                "str_max_length": 2000,
                "title": "Patient",
            },
            "schema": {
                "type": "function-before",
                "function": {"type": "no-info", "function": v.ref_raw},
                "schema": {
                    "type": "function-before",
                    "function": {"type": "no-info", "function": v.start_from_given},
                    "schema": {
                        "type": "function-before",
                        "function": {"type": "no-info", "function": v.clean_tree},
                        "schema": {
                            "type": "dataclass-args",
                            "dataclass_name": "Patient",
                            "fields": [
                                {
                                    "type": "dataclass-field",
                                    "name": "start",
                                    "schema": {
                                        "type": "function-before",
                                        "function": {
                                            "type": "no-info",
                                            "function": v.parse_iso_date,
                                        },
                                        "schema": {"type": "date"},
                                    },
                                },
                                {
                                    "type": "dataclass-field",
                                    "name": "cause",
                                    "schema": {
                                        "type": "function-before",
                                        "function": {
                                            "type": "no-info",
                                            "function": v.patient_cause,
                                        },
                                        "schema": {"type": "str"},
                                    },
                                },
                                {
                                    "type": "dataclass-field",
                                    "name": "dob",
                                    "schema": {
                                        "type": "default",
                                        "schema": {
                                            "type": "function-after",
                                            "function": {
                                                "type": "with-info",
                                                "function": v.dob_before_start,
                                            },
                                            "schema": {
                                                "type": "nullable",
                                                "schema": {
                                                    "type": "function-before",
                                                    "function": {
                                                        "type": "no-info",
                                                        "function": v.parse_iso_date,
                                                    },
                                                    "schema": {"type": "date"},
                                                },
                                            },
                                        },
                                        "default": None,
                                    },
                                },
                                {
                                    "type": "dataclass-field",
                                    "name": "sex",
                                    "schema": {
                                        "type": "default",
                                        "schema": {
                                            "type": "nullable",
                                            "schema": {
                                                "type": "literal",
                                                "expected": ["female", "male"],
                                            },
                                        },
                                        "default": None,
                                    },
                                },
                                {
                                    "type": "dataclass-field",
                                    "name": "neuro",
                                    "schema": {
                                        "type": "default",
                                        "schema": {"type": "bool", "strict": True},
                                        "default": False,
                                    },
                                },
                                {
                                    "type": "dataclass-field",
                                    "name": "product",
                                    "schema": {
                                        "type": "default",
                                        "schema": {
                                            "type": "nullable",
                                            "schema": {
                                                "type": "literal",
                                                "expected": ["hydroxocobalamin", "cyanocobalamin"],
                                            },
                                        },
                                        "default": None,
                                    },
                                },
                                {
                                    "type": "dataclass-field",
                                    "name": "route",
                                    "schema": {
                                        "type": "default",
                                        "schema": {
                                            "type": "nullable",
                                            "schema": {
                                                "type": "literal",
                                                "expected": ["im", "sc", "iv"],
                                            },
                                        },
                                        "default": None,
                                    },
                                },
                                {
                                    "type": "dataclass-field",
                                    "name": "strength",
                                    "schema": {
                                        "type": "default",
                                        "schema": {
                                            "type": "function-before",
                                            "function": {
                                                "type": "no-info",
                                                "function": v.strength_text,
                                            },
                                            "schema": {
                                                "type": "nullable",
                                                "schema": {"type": "str"},
                                            },
                                        },
                                        "default": None,
                                    },
                                },
                                {
                                    "type": "dataclass-field",
                                    "name": "protocol",
                                    "schema": {
                                        "type": "default",
                                        "schema": {
                                            "type": "function-before",
                                            "function": {
                                                "type": "no-info",
                                                "function": v.patient_protocol,
                                            },
                                            "schema": {"type": "str"},
                                        },
                                        "default": "auto",
                                    },
                                },
                                {
                                    "type": "dataclass-field",
                                    "name": "labs",
                                    "schema": {
                                        "type": "default",
                                        "schema": {
                                            "type": "list",
                                            "items_schema": {
                                                "type": "function-before",
                                                "function": {
                                                    "type": "no-info",
                                                    "function": v.lab_item,
                                                },
                                                "schema": {
                                                    "type": "definition-ref",
                                                    "schema_ref": "Lab",
                                                },
                                                "json_schema_input_schema": {
                                                    "type": "union",
                                                    "choices": [
                                                        {
                                                            "type": "definition-ref",
                                                            "schema_ref": "Lab",
                                                        },
                                                        {
                                                            "type": "str",
                                                            "pattern": "^\\s*[A-Za-z0-9-]+\\s*=\\s*[^\\s@]+\\s*[^@]*@\\s*\\S+\\s*$",
                                                        },
                                                    ],
                                                },
                                            },
                                            "max_length": 1000,
                                        },
                                        "default_factory": list,
                                    },
                                },
                                {
                                    "type": "dataclass-field",
                                    "name": "given",
                                    "schema": {
                                        "type": "default",
                                        "schema": {
                                            "type": "function-after",
                                            "function": {
                                                "type": "with-info",
                                                "function": v.given_in_order,
                                            },
                                            "schema": {
                                                "type": "list",
                                                "items_schema": {
                                                    "type": "function-before",
                                                    "function": {
                                                        "type": "no-info",
                                                        "function": v.given_item,
                                                    },
                                                    "schema": {
                                                        "type": "definition-ref",
                                                        "schema_ref": "GivenDose",
                                                    },
                                                    "json_schema_input_schema": {
                                                        "type": "union",
                                                        "choices": [
                                                            {
                                                                "type": "definition-ref",
                                                                "schema_ref": "GivenDose",
                                                            },
                                                            {"type": "date"},
                                                        ],
                                                    },
                                                },
                                                "max_length": 1000,
                                            },
                                        },
                                        "default_factory": list,
                                    },
                                },
                                {
                                    "type": "dataclass-field",
                                    "name": "repletion_end",
                                    "schema": {
                                        "type": "default",
                                        "schema": {
                                            "type": "function-after",
                                            "function": {
                                                "type": "with-info",
                                                "function": v.not_before_start,
                                            },
                                            "schema": {
                                                "type": "nullable",
                                                "schema": {
                                                    "type": "function-before",
                                                    "function": {
                                                        "type": "no-info",
                                                        "function": v.parse_iso_date,
                                                    },
                                                    "schema": {"type": "date"},
                                                },
                                            },
                                        },
                                        "default": None,
                                    },
                                },
                                {
                                    "type": "dataclass-field",
                                    "name": "repletion_done",
                                    "schema": {
                                        "type": "default",
                                        "schema": {
                                            "type": "function-after",
                                            "function": {
                                                "type": "with-info",
                                                "function": v.one_account_of_repletion,
                                            },
                                            "schema": {"type": "bool", "strict": True},
                                        },
                                        "default": False,
                                    },
                                },
                                {
                                    "type": "dataclass-field",
                                    "name": "symptoms_returned",
                                    "schema": {
                                        "type": "default",
                                        "schema": {
                                            "type": "function-after",
                                            "function": {
                                                "type": "with-info",
                                                "function": v.symptoms_after_start,
                                            },
                                            "schema": {
                                                "type": "list",
                                                "items_schema": {
                                                    "type": "function-before",
                                                    "function": {
                                                        "type": "no-info",
                                                        "function": v.parse_iso_date,
                                                    },
                                                    "schema": {"type": "date"},
                                                },
                                                "max_length": 1000,
                                            },
                                        },
                                        "default_factory": list,
                                    },
                                },
                                {
                                    "type": "dataclass-field",
                                    "name": "conditions",
                                    "schema": {
                                        "type": "default",
                                        "schema": {
                                            "type": "function-after",
                                            "function": {
                                                "type": "with-info",
                                                "function": v.conditions_fit_sex,
                                            },
                                            "schema": {
                                                "type": "dataclass",
                                                "cls": r.Conditions,
                                                "fields": [
                                                    "pregnant",
                                                    "breastfeeding",
                                                    "anticoagulant",
                                                    "bleeding_disorder",
                                                    "cobalt_allergy",
                                                    "leber",
                                                    "b12_hypersensitivity",
                                                    "vegan",
                                                    "folic_acid_started",
                                                ],
                                                "slots": True,
                                                "config": {
                                                    "extra_fields_behavior": "forbid",
                                                    "str_max_length": 2000,
                                                    "title": "Conditions",
                                                },
                                                "schema": {
                                                    "type": "dataclass-args",
                                                    "dataclass_name": "Conditions",
                                                    "fields": [
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "pregnant",
                                                            "schema": {
                                                                "type": "default",
                                                                "schema": {
                                                                    "type": "bool",
                                                                    "strict": True,
                                                                },
                                                                "default": False,
                                                            },
                                                        },
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "breastfeeding",
                                                            "schema": {
                                                                "type": "default",
                                                                "schema": {
                                                                    "type": "bool",
                                                                    "strict": True,
                                                                },
                                                                "default": False,
                                                            },
                                                        },
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "anticoagulant",
                                                            "schema": {
                                                                "type": "default",
                                                                "schema": {
                                                                    "type": "bool",
                                                                    "strict": True,
                                                                },
                                                                "default": False,
                                                            },
                                                        },
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "bleeding_disorder",
                                                            "schema": {
                                                                "type": "default",
                                                                "schema": {
                                                                    "type": "bool",
                                                                    "strict": True,
                                                                },
                                                                "default": False,
                                                            },
                                                        },
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "cobalt_allergy",
                                                            "schema": {
                                                                "type": "default",
                                                                "schema": {
                                                                    "type": "bool",
                                                                    "strict": True,
                                                                },
                                                                "default": False,
                                                            },
                                                        },
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "leber",
                                                            "schema": {
                                                                "type": "default",
                                                                "schema": {
                                                                    "type": "bool",
                                                                    "strict": True,
                                                                },
                                                                "default": False,
                                                            },
                                                        },
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "b12_hypersensitivity",
                                                            "schema": {
                                                                "type": "default",
                                                                "schema": {
                                                                    "type": "bool",
                                                                    "strict": True,
                                                                },
                                                                "default": False,
                                                            },
                                                        },
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "vegan",
                                                            "schema": {
                                                                "type": "default",
                                                                "schema": {
                                                                    "type": "bool",
                                                                    "strict": True,
                                                                },
                                                                "default": False,
                                                            },
                                                        },
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "folic_acid_started",
                                                            "schema": {
                                                                "type": "default",
                                                                "schema": {
                                                                    "type": "nullable",
                                                                    "schema": {
                                                                        "type": "function-before",
                                                                        "function": {
                                                                            "type": "no-info",
                                                                            "function": v.parse_iso_date,
                                                                        },
                                                                        "schema": {"type": "date"},
                                                                    },
                                                                },
                                                                "default": None,
                                                            },
                                                        },
                                                    ],
                                                    "extra_behavior": "forbid",
                                                },
                                                "ref": "Conditions",
                                            },
                                        },
                                        "default": r.Conditions(
                                            pregnant=False,
                                            breastfeeding=False,
                                            anticoagulant=False,
                                            bleeding_disorder=False,
                                            cobalt_allergy=False,
                                            leber=False,
                                            b12_hypersensitivity=False,
                                            vegan=False,
                                            folic_acid_started=None,
                                        ),
                                    },
                                },
                                {
                                    "type": "dataclass-field",
                                    "name": "interval",
                                    "schema": {
                                        "type": "default",
                                        "schema": {
                                            "type": "function-before",
                                            "function": {
                                                "type": "no-info",
                                                "function": v.interval_or_none,
                                            },
                                            "schema": {
                                                "type": "nullable",
                                                "schema": {"type": "str"},
                                            },
                                        },
                                        "default": None,
                                    },
                                },
                                {
                                    "type": "dataclass-field",
                                    "name": "override_reason",
                                    "schema": {
                                        "type": "default",
                                        "schema": {
                                            "type": "nullable",
                                            "schema": {
                                                "type": "str",
                                                "min_length": 1,
                                                "max_length": 500,
                                            },
                                        },
                                        "default": None,
                                    },
                                },
                                {
                                    "type": "dataclass-field",
                                    "name": "interval_changes",
                                    "schema": {
                                        "type": "default",
                                        "schema": {
                                            "type": "function-after",
                                            "function": {
                                                "type": "with-info",
                                                "function": v.one_change_a_day,
                                            },
                                            "schema": {
                                                "type": "list",
                                                "items_schema": {
                                                    "type": "dataclass",
                                                    "cls": r.IntervalChange,
                                                    "fields": ["date", "interval", "reason"],
                                                    "slots": True,
                                                    "config": {
                                                        "extra_fields_behavior": "forbid",
                                                        "str_max_length": 2000,
                                                        "title": "IntervalChange",
                                                    },
                                                    "schema": {
                                                        "type": "dataclass-args",
                                                        "dataclass_name": "IntervalChange",
                                                        "fields": [
                                                            {
                                                                "type": "dataclass-field",
                                                                "name": "date",
                                                                "schema": {
                                                                    "type": "function-before",
                                                                    "function": {
                                                                        "type": "no-info",
                                                                        "function": v.parse_iso_date,
                                                                    },
                                                                    "schema": {"type": "date"},
                                                                },
                                                            },
                                                            {
                                                                "type": "dataclass-field",
                                                                "name": "interval",
                                                                "schema": {
                                                                    "type": "function-before",
                                                                    "function": {
                                                                        "type": "no-info",
                                                                        "function": v.interval_text,
                                                                    },
                                                                    "schema": {"type": "str"},
                                                                },
                                                            },
                                                            {
                                                                "type": "dataclass-field",
                                                                "name": "reason",
                                                                "schema": {
                                                                    "type": "default",
                                                                    "schema": {
                                                                        "type": "nullable",
                                                                        "schema": {
                                                                            "type": "str",
                                                                            "min_length": 1,
                                                                            "max_length": 500,
                                                                        },
                                                                    },
                                                                    "default": None,
                                                                },
                                                            },
                                                        ],
                                                        "extra_behavior": "forbid",
                                                    },
                                                    "ref": "IntervalChange",
                                                },
                                                "max_length": 1000,
                                            },
                                        },
                                        "default_factory": list,
                                    },
                                },
                                {
                                    "type": "dataclass-field",
                                    "name": "missed",
                                    "schema": {
                                        "type": "default",
                                        "schema": {
                                            "type": "function-after",
                                            "function": {
                                                "type": "with-info",
                                                "function": v.missed_not_given,
                                            },
                                            "schema": {
                                                "type": "list",
                                                "items_schema": {
                                                    "type": "function-before",
                                                    "function": {
                                                        "type": "no-info",
                                                        "function": v.missed_item,
                                                    },
                                                    "schema": {
                                                        "type": "definition-ref",
                                                        "schema_ref": "MissedDose",
                                                    },
                                                    "json_schema_input_schema": {
                                                        "type": "union",
                                                        "choices": [
                                                            {
                                                                "type": "definition-ref",
                                                                "schema_ref": "MissedDose",
                                                            },
                                                            {"type": "date"},
                                                        ],
                                                    },
                                                },
                                                "max_length": 1000,
                                            },
                                        },
                                        "default_factory": list,
                                    },
                                },
                                {
                                    "type": "dataclass-field",
                                    "name": "clinic",
                                    "schema": {
                                        "type": "default",
                                        "schema": {
                                            "type": "nullable",
                                            "schema": {
                                                "type": "dataclass",
                                                "cls": r.Clinic,
                                                "fields": ["open", "closed", "holidays"],
                                                "slots": True,
                                                "config": {
                                                    "extra_fields_behavior": "forbid",
                                                    "str_max_length": 2000,
                                                    "title": "Clinic",
                                                },
                                                "schema": {
                                                    "type": "dataclass-args",
                                                    "dataclass_name": "Clinic",
                                                    "fields": [
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "open",
                                                            "schema": {
                                                                "type": "default",
                                                                "schema": {
                                                                    "type": "function-before",
                                                                    "function": {
                                                                        "type": "no-info",
                                                                        "function": v.clinic_open,
                                                                    },
                                                                    "schema": {
                                                                        "type": "function-after",
                                                                        "function": {
                                                                            "type": "no-info",
                                                                            "function": v.distinct_weekdays,
                                                                        },
                                                                        "schema": {
                                                                            "type": "list",
                                                                            "items_schema": {
                                                                                "type": "literal",
                                                                                "expected": [
                                                                                    "mon",
                                                                                    "tue",
                                                                                    "wed",
                                                                                    "thu",
                                                                                    "fri",
                                                                                    "sat",
                                                                                    "sun",
                                                                                ],
                                                                            },
                                                                            "min_length": 1,
                                                                            "max_length": 7,
                                                                        },
                                                                    },
                                                                    "json_schema_input_schema": {
                                                                        "type": "union",
                                                                        "choices": [
                                                                            {
                                                                                "type": "list",
                                                                                "items_schema": {
                                                                                    "type": "literal",
                                                                                    "expected": [
                                                                                        "mon",
                                                                                        "tue",
                                                                                        "wed",
                                                                                        "thu",
                                                                                        "fri",
                                                                                        "sat",
                                                                                        "sun",
                                                                                    ],
                                                                                },
                                                                                "min_length": 1,
                                                                                "max_length": 7,
                                                                            },
                                                                            {
                                                                                "type": "str",
                                                                                "pattern": "^\\s*[A-Za-z]{3}(?:\\s*-\\s*[A-Za-z]{3})?(?:\\s*,\\s*[A-Za-z]{3}(?:\\s*-\\s*[A-Za-z]{3})?)*\\s*$",
                                                                            },
                                                                        ],
                                                                    },
                                                                },
                                                                "default": [
                                                                    "mon",
                                                                    "tue",
                                                                    "wed",
                                                                    "thu",
                                                                    "fri",
                                                                    "sat",
                                                                    "sun",
                                                                ],
                                                            },
                                                        },
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "closed",
                                                            "schema": {
                                                                "type": "default",
                                                                "schema": {
                                                                    "type": "list",
                                                                    "items_schema": {
                                                                        "type": "function-before",
                                                                        "function": {
                                                                            "type": "no-info",
                                                                            "function": v.parse_iso_date,
                                                                        },
                                                                        "schema": {"type": "date"},
                                                                    },
                                                                    "max_length": 1000,
                                                                },
                                                                "default_factory": list,
                                                            },
                                                        },
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "holidays",
                                                            "schema": {
                                                                "type": "default",
                                                                "schema": {
                                                                    "type": "function-before",
                                                                    "function": {
                                                                        "type": "no-info",
                                                                        "function": v.clinic_region,
                                                                    },
                                                                    "schema": {
                                                                        "type": "nullable",
                                                                        "schema": {
                                                                            "type": "str",
                                                                            "pattern": "^[A-Z]{2}(-[A-Z0-9]{1,3})?$",
                                                                        },
                                                                    },
                                                                },
                                                                "default": None,
                                                            },
                                                        },
                                                    ],
                                                    "extra_behavior": "forbid",
                                                },
                                                "ref": "Clinic",
                                            },
                                        },
                                        "default": None,
                                    },
                                },
                                {
                                    "type": "dataclass-field",
                                    "name": "until",
                                    "schema": {
                                        "type": "default",
                                        "schema": {
                                            "type": "function-after",
                                            "function": {
                                                "type": "with-info",
                                                "function": v.not_before_start,
                                            },
                                            "schema": {
                                                "type": "nullable",
                                                "schema": {
                                                    "type": "function-before",
                                                    "function": {
                                                        "type": "no-info",
                                                        "function": v.parse_iso_date,
                                                    },
                                                    "schema": {"type": "date"},
                                                },
                                            },
                                        },
                                        "default": None,
                                    },
                                },
                                {
                                    "type": "dataclass-field",
                                    "name": "stopped",
                                    "schema": {
                                        "type": "default",
                                        "schema": {
                                            "type": "function-after",
                                            "function": {
                                                "type": "with-info",
                                                "function": v.stopped_after_doses,
                                            },
                                            "schema": {
                                                "type": "nullable",
                                                "schema": {
                                                    "type": "dataclass",
                                                    "cls": r.Stopped,
                                                    "fields": ["date", "reason", "note"],
                                                    "slots": True,
                                                    "config": {
                                                        "extra_fields_behavior": "forbid",
                                                        "str_max_length": 2000,
                                                        "title": "Stopped",
                                                    },
                                                    "schema": {
                                                        "type": "dataclass-args",
                                                        "dataclass_name": "Stopped",
                                                        "fields": [
                                                            {
                                                                "type": "dataclass-field",
                                                                "name": "date",
                                                                "schema": {
                                                                    "type": "function-before",
                                                                    "function": {
                                                                        "type": "no-info",
                                                                        "function": v.parse_iso_date,
                                                                    },
                                                                    "schema": {"type": "date"},
                                                                },
                                                            },
                                                            {
                                                                "type": "dataclass-field",
                                                                "name": "reason",
                                                                "schema": {
                                                                    "type": "literal",
                                                                    "expected": [
                                                                        "cause-corrected",
                                                                        "switched-to-oral",
                                                                        "transferred-out",
                                                                        "declined",
                                                                        "died",
                                                                        "other",
                                                                    ],
                                                                },
                                                            },
                                                            {
                                                                "type": "dataclass-field",
                                                                "name": "note",
                                                                "schema": {
                                                                    "type": "default",
                                                                    "schema": {
                                                                        "type": "nullable",
                                                                        "schema": {
                                                                            "type": "str",
                                                                            "min_length": 1,
                                                                            "max_length": 500,
                                                                        },
                                                                    },
                                                                    "default": None,
                                                                },
                                                            },
                                                        ],
                                                        "extra_behavior": "forbid",
                                                    },
                                                    "ref": "Stopped",
                                                },
                                            },
                                        },
                                        "default": None,
                                    },
                                },
                                {
                                    "type": "dataclass-field",
                                    "name": "ref",
                                    "schema": {
                                        "type": "default",
                                        "schema": {
                                            "type": "nullable",
                                            "schema": {
                                                "type": "function-before",
                                                "function": {
                                                    "type": "no-info",
                                                    "function": v.ref_text,
                                                },
                                                "schema": {
                                                    "type": "str",
                                                    "min_length": 1,
                                                    "max_length": 64,
                                                    "pattern": "^[^\\x00-\\x1f\\x7f-\\x9f]+$",
                                                },
                                            },
                                        },
                                        "default": None,
                                    },
                                },
                            ],
                            "extra_behavior": "forbid",
                        },
                    },
                },
            },
            "ref": "Patient",
        },
        "definitions": [
            {
                "type": "function-after",
                "function": {"type": "no-info", "function": v.lab_plausible},
                "schema": {
                    "type": "dataclass",
                    "cls": r.Lab,
                    "fields": [
                        "analyte",
                        "value",
                        "unit",
                        "date",
                        "ref_low",
                        "ref_high",
                        "comparator",
                    ],
                    "slots": True,
                    "config": {
                        "extra_fields_behavior": "forbid",
                        "str_max_length": 2000,
                        "title": "Lab",
                    },
                    "schema": {
                        "type": "function-before",
                        "function": {"type": "no-info", "function": v.lab_object},
                        "schema": {
                            "type": "dataclass-args",
                            "dataclass_name": "Lab",
                            "fields": [
                                {
                                    "type": "dataclass-field",
                                    "name": "analyte",
                                    "schema": {
                                        "type": "literal",
                                        "expected": [
                                            "b12",
                                            "active-b12",
                                            "mma",
                                            "homocysteine",
                                            "hb",
                                            "mcv",
                                            "folate",
                                            "potassium",
                                            "egfr",
                                            "platelets",
                                            "inr",
                                            "retic",
                                        ],
                                    },
                                },
                                {
                                    "type": "dataclass-field",
                                    "name": "value",
                                    "schema": {
                                        "type": "function-before",
                                        "function": {"type": "no-info", "function": v.lab_value},
                                        "schema": {
                                            "type": "union",
                                            "choices": [{"type": "int"}, {"type": "float"}],
                                        },
                                        "json_schema_input_schema": {
                                            "type": "union",
                                            "choices": [
                                                {"type": "int"},
                                                {"type": "float"},
                                                {
                                                    "type": "str",
                                                    "pattern": "^\\s*(<=|>=|<|>|≤|≥)\\s*([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?\\s*$",
                                                },
                                            ],
                                        },
                                    },
                                },
                                {
                                    "type": "dataclass-field",
                                    "name": "unit",
                                    "schema": {
                                        "type": "function-before",
                                        "function": {
                                            "type": "with-info",
                                            "function": v.lab_known_unit,
                                        },
                                        "schema": {"type": "str"},
                                    },
                                },
                                {
                                    "type": "dataclass-field",
                                    "name": "date",
                                    "schema": {
                                        "type": "function-before",
                                        "function": {
                                            "type": "no-info",
                                            "function": v.parse_iso_date,
                                        },
                                        "schema": {"type": "date"},
                                    },
                                },
                                {
                                    "type": "dataclass-field",
                                    "name": "ref_low",
                                    "schema": {
                                        "type": "default",
                                        "schema": {
                                            "type": "nullable",
                                            "schema": {
                                                "type": "function-before",
                                                "function": {
                                                    "type": "no-info",
                                                    "function": v.positive_number,
                                                },
                                                "schema": {
                                                    "type": "union",
                                                    "choices": [{"type": "int"}, {"type": "float"}],
                                                },
                                            },
                                        },
                                        "default": None,
                                    },
                                },
                                {
                                    "type": "dataclass-field",
                                    "name": "ref_high",
                                    "schema": {
                                        "type": "default",
                                        "schema": {
                                            "type": "nullable",
                                            "schema": {
                                                "type": "function-before",
                                                "function": {
                                                    "type": "no-info",
                                                    "function": v.positive_number,
                                                },
                                                "schema": {
                                                    "type": "union",
                                                    "choices": [{"type": "int"}, {"type": "float"}],
                                                },
                                            },
                                        },
                                        "default": None,
                                    },
                                },
                                {
                                    "type": "dataclass-field",
                                    "name": "comparator",
                                    "schema": {
                                        "type": "default",
                                        "schema": {
                                            "type": "function-before",
                                            "function": {
                                                "type": "no-info",
                                                "function": v.lab_comparator,
                                            },
                                            "schema": {
                                                "type": "nullable",
                                                "schema": {
                                                    "type": "literal",
                                                    "expected": ["<", ">", "<=", ">="],
                                                },
                                            },
                                        },
                                        "default": None,
                                    },
                                },
                            ],
                            "extra_behavior": "forbid",
                        },
                    },
                },
                "ref": "Lab",
            },
            {
                "type": "dataclass",
                "cls": r.GivenDose,
                "fields": ["date", "dose_mcg", "site", "product", "route"],
                "slots": True,
                "config": {
                    "extra_fields_behavior": "forbid",
                    "str_max_length": 2000,
                    "title": "GivenDose",
                },
                "schema": {
                    "type": "dataclass-args",
                    "dataclass_name": "GivenDose",
                    "fields": [
                        {
                            "type": "dataclass-field",
                            "name": "date",
                            "schema": {
                                "type": "function-before",
                                "function": {"type": "no-info", "function": v.parse_iso_date},
                                "schema": {"type": "date"},
                            },
                        },
                        {
                            "type": "dataclass-field",
                            "name": "dose_mcg",
                            "schema": {
                                "type": "default",
                                "schema": {
                                    "type": "nullable",
                                    "schema": {
                                        "type": "function-before",
                                        "function": {"type": "no-info", "function": v.dose_mcg},
                                        "schema": {
                                            "type": "union",
                                            "choices": [{"type": "int"}, {"type": "float"}],
                                        },
                                    },
                                },
                                "default": None,
                            },
                        },
                        {
                            "type": "dataclass-field",
                            "name": "site",
                            "schema": {
                                "type": "default",
                                "schema": {
                                    "type": "nullable",
                                    "schema": {"type": "str", "max_length": 100},
                                },
                                "default": None,
                            },
                        },
                        {
                            "type": "dataclass-field",
                            "name": "product",
                            "schema": {
                                "type": "default",
                                "schema": {
                                    "type": "nullable",
                                    "schema": {
                                        "type": "literal",
                                        "expected": ["hydroxocobalamin", "cyanocobalamin"],
                                    },
                                },
                                "default": None,
                            },
                        },
                        {
                            "type": "dataclass-field",
                            "name": "route",
                            "schema": {
                                "type": "default",
                                "schema": {
                                    "type": "nullable",
                                    "schema": {"type": "literal", "expected": ["im", "sc", "iv"]},
                                },
                                "default": None,
                            },
                        },
                    ],
                    "extra_behavior": "forbid",
                },
                "ref": "GivenDose",
            },
            {
                "type": "dataclass",
                "cls": r.MissedDose,
                "fields": ["date", "reason"],
                "slots": True,
                "config": {
                    "extra_fields_behavior": "forbid",
                    "str_max_length": 2000,
                    "title": "MissedDose",
                },
                "schema": {
                    "type": "dataclass-args",
                    "dataclass_name": "MissedDose",
                    "fields": [
                        {
                            "type": "dataclass-field",
                            "name": "date",
                            "schema": {
                                "type": "function-before",
                                "function": {"type": "no-info", "function": v.parse_iso_date},
                                "schema": {"type": "date"},
                            },
                        },
                        {
                            "type": "dataclass-field",
                            "name": "reason",
                            "schema": {
                                "type": "default",
                                "schema": {
                                    "type": "literal",
                                    "expected": [
                                        "declined",
                                        "did-not-attend",
                                        "unavailable",
                                        "other",
                                    ],
                                },
                                "default": "other",
                            },
                        },
                    ],
                    "extra_behavior": "forbid",
                },
                "ref": "MissedDose",
            },
        ],
    }


def regimen() -> Any:
    """The regimen document's schema, for `pydantic_core.SchemaValidator`."""
    return {
        "type": "definitions",
        "schema": {
            "type": "function-after",
            "function": {"type": "no-info", "function": v.regimen_one_form},
            "schema": {
                "type": "dataclass",
                "cls": r.Regimen,
                "fields": ["patient", "product", "route", "strength", "steps", "regimen"],
                "slots": True,
                "config": {
                    "extra_fields_behavior": "forbid",
                    "str_max_length": 2000,
                    "title": "Regimen",
                },
                "schema": {
                    "type": "function-before",
                    "function": {"type": "no-info", "function": v.clean_tree},
                    "schema": {
                        "type": "dataclass-args",
                        "dataclass_name": "Regimen",
                        "fields": [
                            {
                                "type": "dataclass-field",
                                "name": "patient",
                                "schema": {
                                    "type": "dataclass",
                                    "cls": r.Patient,
                                    "fields": [
                                        "start",
                                        "cause",
                                        "dob",
                                        "sex",
                                        "neuro",
                                        "product",
                                        "route",
                                        "strength",
                                        "protocol",
                                        "labs",
                                        "given",
                                        "repletion_end",
                                        "repletion_done",
                                        "symptoms_returned",
                                        "conditions",
                                        "interval",
                                        "override_reason",
                                        "interval_changes",
                                        "missed",
                                        "clinic",
                                        "until",
                                        "stopped",
                                        "ref",
                                    ],
                                    "slots": True,
                                    "config": {
                                        "extra_fields_behavior": "forbid",
                                        "str_max_length": 2000,
                                        "title": "Patient",
                                    },
                                    "schema": {
                                        "type": "function-before",
                                        "function": {"type": "no-info", "function": v.ref_raw},
                                        "schema": {
                                            "type": "function-before",
                                            "function": {
                                                "type": "no-info",
                                                "function": v.start_from_given,
                                            },
                                            "schema": {
                                                "type": "function-before",
                                                "function": {
                                                    "type": "no-info",
                                                    "function": v.clean_tree,
                                                },
                                                "schema": {
                                                    "type": "dataclass-args",
                                                    "dataclass_name": "Patient",
                                                    "fields": [
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "start",
                                                            "schema": {
                                                                "type": "function-before",
                                                                "function": {
                                                                    "type": "no-info",
                                                                    "function": v.parse_iso_date,
                                                                },
                                                                "schema": {"type": "date"},
                                                            },
                                                        },
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "cause",
                                                            "schema": {
                                                                "type": "function-before",
                                                                "function": {
                                                                    "type": "no-info",
                                                                    "function": v.patient_cause,
                                                                },
                                                                "schema": {"type": "str"},
                                                            },
                                                        },
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "dob",
                                                            "schema": {
                                                                "type": "default",
                                                                "schema": {
                                                                    "type": "function-after",
                                                                    "function": {
                                                                        "type": "with-info",
                                                                        "function": v.dob_before_start,
                                                                    },
                                                                    "schema": {
                                                                        "type": "nullable",
                                                                        "schema": {
                                                                            "type": "function-before",
                                                                            "function": {
                                                                                "type": "no-info",
                                                                                "function": v.parse_iso_date,
                                                                            },
                                                                            "schema": {
                                                                                "type": "date"
                                                                            },
                                                                        },
                                                                    },
                                                                },
                                                                "default": None,
                                                            },
                                                        },
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "sex",
                                                            "schema": {
                                                                "type": "default",
                                                                "schema": {
                                                                    "type": "nullable",
                                                                    "schema": {
                                                                        "type": "literal",
                                                                        "expected": [
                                                                            "female",
                                                                            "male",
                                                                        ],
                                                                    },
                                                                },
                                                                "default": None,
                                                            },
                                                        },
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "neuro",
                                                            "schema": {
                                                                "type": "default",
                                                                "schema": {
                                                                    "type": "bool",
                                                                    "strict": True,
                                                                },
                                                                "default": False,
                                                            },
                                                        },
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "product",
                                                            "schema": {
                                                                "type": "default",
                                                                "schema": {
                                                                    "type": "nullable",
                                                                    "schema": {
                                                                        "type": "literal",
                                                                        "expected": [
                                                                            "hydroxocobalamin",
                                                                            "cyanocobalamin",
                                                                        ],
                                                                    },
                                                                },
                                                                "default": None,
                                                            },
                                                        },
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "route",
                                                            "schema": {
                                                                "type": "default",
                                                                "schema": {
                                                                    "type": "nullable",
                                                                    "schema": {
                                                                        "type": "literal",
                                                                        "expected": [
                                                                            "im",
                                                                            "sc",
                                                                            "iv",
                                                                        ],
                                                                    },
                                                                },
                                                                "default": None,
                                                            },
                                                        },
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "strength",
                                                            "schema": {
                                                                "type": "default",
                                                                "schema": {
                                                                    "type": "function-before",
                                                                    "function": {
                                                                        "type": "no-info",
                                                                        "function": v.strength_text,
                                                                    },
                                                                    "schema": {
                                                                        "type": "nullable",
                                                                        "schema": {"type": "str"},
                                                                    },
                                                                },
                                                                "default": None,
                                                            },
                                                        },
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "protocol",
                                                            "schema": {
                                                                "type": "default",
                                                                "schema": {
                                                                    "type": "function-before",
                                                                    "function": {
                                                                        "type": "no-info",
                                                                        "function": v.patient_protocol,
                                                                    },
                                                                    "schema": {"type": "str"},
                                                                },
                                                                "default": "auto",
                                                            },
                                                        },
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "labs",
                                                            "schema": {
                                                                "type": "default",
                                                                "schema": {
                                                                    "type": "list",
                                                                    "items_schema": {
                                                                        "type": "function-before",
                                                                        "function": {
                                                                            "type": "no-info",
                                                                            "function": v.lab_item,
                                                                        },
                                                                        "schema": {
                                                                            "type": "definition-ref",
                                                                            "schema_ref": "Lab",
                                                                        },
                                                                        "json_schema_input_schema": {
                                                                            "type": "union",
                                                                            "choices": [
                                                                                {
                                                                                    "type": "definition-ref",
                                                                                    "schema_ref": "Lab",
                                                                                },
                                                                                {
                                                                                    "type": "str",
                                                                                    "pattern": "^\\s*[A-Za-z0-9-]+\\s*=\\s*[^\\s@]+\\s*[^@]*@\\s*\\S+\\s*$",
                                                                                },
                                                                            ],
                                                                        },
                                                                    },
                                                                    "max_length": 1000,
                                                                },
                                                                "default_factory": list,
                                                            },
                                                        },
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "given",
                                                            "schema": {
                                                                "type": "default",
                                                                "schema": {
                                                                    "type": "function-after",
                                                                    "function": {
                                                                        "type": "with-info",
                                                                        "function": v.given_in_order,
                                                                    },
                                                                    "schema": {
                                                                        "type": "list",
                                                                        "items_schema": {
                                                                            "type": "function-before",
                                                                            "function": {
                                                                                "type": "no-info",
                                                                                "function": v.given_item,
                                                                            },
                                                                            "schema": {
                                                                                "type": "definition-ref",
                                                                                "schema_ref": "GivenDose",
                                                                            },
                                                                            "json_schema_input_schema": {
                                                                                "type": "union",
                                                                                "choices": [
                                                                                    {
                                                                                        "type": "definition-ref",
                                                                                        "schema_ref": "GivenDose",
                                                                                    },
                                                                                    {
                                                                                        "type": "date"
                                                                                    },
                                                                                ],
                                                                            },
                                                                        },
                                                                        "max_length": 1000,
                                                                    },
                                                                },
                                                                "default_factory": list,
                                                            },
                                                        },
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "repletion_end",
                                                            "schema": {
                                                                "type": "default",
                                                                "schema": {
                                                                    "type": "function-after",
                                                                    "function": {
                                                                        "type": "with-info",
                                                                        "function": v.not_before_start,
                                                                    },
                                                                    "schema": {
                                                                        "type": "nullable",
                                                                        "schema": {
                                                                            "type": "function-before",
                                                                            "function": {
                                                                                "type": "no-info",
                                                                                "function": v.parse_iso_date,
                                                                            },
                                                                            "schema": {
                                                                                "type": "date"
                                                                            },
                                                                        },
                                                                    },
                                                                },
                                                                "default": None,
                                                            },
                                                        },
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "repletion_done",
                                                            "schema": {
                                                                "type": "default",
                                                                "schema": {
                                                                    "type": "function-after",
                                                                    "function": {
                                                                        "type": "with-info",
                                                                        "function": v.one_account_of_repletion,
                                                                    },
                                                                    "schema": {
                                                                        "type": "bool",
                                                                        "strict": True,
                                                                    },
                                                                },
                                                                "default": False,
                                                            },
                                                        },
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "symptoms_returned",
                                                            "schema": {
                                                                "type": "default",
                                                                "schema": {
                                                                    "type": "function-after",
                                                                    "function": {
                                                                        "type": "with-info",
                                                                        "function": v.symptoms_after_start,
                                                                    },
                                                                    "schema": {
                                                                        "type": "list",
                                                                        "items_schema": {
                                                                            "type": "function-before",
                                                                            "function": {
                                                                                "type": "no-info",
                                                                                "function": v.parse_iso_date,
                                                                            },
                                                                            "schema": {
                                                                                "type": "date"
                                                                            },
                                                                        },
                                                                        "max_length": 1000,
                                                                    },
                                                                },
                                                                "default_factory": list,
                                                            },
                                                        },
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "conditions",
                                                            "schema": {
                                                                "type": "default",
                                                                "schema": {
                                                                    "type": "function-after",
                                                                    "function": {
                                                                        "type": "with-info",
                                                                        "function": v.conditions_fit_sex,
                                                                    },
                                                                    "schema": {
                                                                        "type": "dataclass",
                                                                        "cls": r.Conditions,
                                                                        "fields": [
                                                                            "pregnant",
                                                                            "breastfeeding",
                                                                            "anticoagulant",
                                                                            "bleeding_disorder",
                                                                            "cobalt_allergy",
                                                                            "leber",
                                                                            "b12_hypersensitivity",
                                                                            "vegan",
                                                                            "folic_acid_started",
                                                                        ],
                                                                        "slots": True,
                                                                        "config": {
                                                                            "extra_fields_behavior": "forbid",
                                                                            "str_max_length": 2000,
                                                                            "title": "Conditions",
                                                                        },
                                                                        "schema": {
                                                                            "type": "dataclass-args",
                                                                            "dataclass_name": "Conditions",
                                                                            "fields": [
                                                                                {
                                                                                    "type": "dataclass-field",
                                                                                    "name": "pregnant",
                                                                                    "schema": {
                                                                                        "type": "default",
                                                                                        "schema": {
                                                                                            "type": "bool",
                                                                                            "strict": True,
                                                                                        },
                                                                                        "default": False,
                                                                                    },
                                                                                },
                                                                                {
                                                                                    "type": "dataclass-field",
                                                                                    "name": "breastfeeding",
                                                                                    "schema": {
                                                                                        "type": "default",
                                                                                        "schema": {
                                                                                            "type": "bool",
                                                                                            "strict": True,
                                                                                        },
                                                                                        "default": False,
                                                                                    },
                                                                                },
                                                                                {
                                                                                    "type": "dataclass-field",
                                                                                    "name": "anticoagulant",
                                                                                    "schema": {
                                                                                        "type": "default",
                                                                                        "schema": {
                                                                                            "type": "bool",
                                                                                            "strict": True,
                                                                                        },
                                                                                        "default": False,
                                                                                    },
                                                                                },
                                                                                {
                                                                                    "type": "dataclass-field",
                                                                                    "name": "bleeding_disorder",
                                                                                    "schema": {
                                                                                        "type": "default",
                                                                                        "schema": {
                                                                                            "type": "bool",
                                                                                            "strict": True,
                                                                                        },
                                                                                        "default": False,
                                                                                    },
                                                                                },
                                                                                {
                                                                                    "type": "dataclass-field",
                                                                                    "name": "cobalt_allergy",
                                                                                    "schema": {
                                                                                        "type": "default",
                                                                                        "schema": {
                                                                                            "type": "bool",
                                                                                            "strict": True,
                                                                                        },
                                                                                        "default": False,
                                                                                    },
                                                                                },
                                                                                {
                                                                                    "type": "dataclass-field",
                                                                                    "name": "leber",
                                                                                    "schema": {
                                                                                        "type": "default",
                                                                                        "schema": {
                                                                                            "type": "bool",
                                                                                            "strict": True,
                                                                                        },
                                                                                        "default": False,
                                                                                    },
                                                                                },
                                                                                {
                                                                                    "type": "dataclass-field",
                                                                                    "name": "b12_hypersensitivity",
                                                                                    "schema": {
                                                                                        "type": "default",
                                                                                        "schema": {
                                                                                            "type": "bool",
                                                                                            "strict": True,
                                                                                        },
                                                                                        "default": False,
                                                                                    },
                                                                                },
                                                                                {
                                                                                    "type": "dataclass-field",
                                                                                    "name": "vegan",
                                                                                    "schema": {
                                                                                        "type": "default",
                                                                                        "schema": {
                                                                                            "type": "bool",
                                                                                            "strict": True,
                                                                                        },
                                                                                        "default": False,
                                                                                    },
                                                                                },
                                                                                {
                                                                                    "type": "dataclass-field",
                                                                                    "name": "folic_acid_started",
                                                                                    "schema": {
                                                                                        "type": "default",
                                                                                        "schema": {
                                                                                            "type": "nullable",
                                                                                            "schema": {
                                                                                                "type": "function-before",
                                                                                                "function": {
                                                                                                    "type": "no-info",
                                                                                                    "function": v.parse_iso_date,
                                                                                                },
                                                                                                "schema": {
                                                                                                    "type": "date"
                                                                                                },
                                                                                            },
                                                                                        },
                                                                                        "default": None,
                                                                                    },
                                                                                },
                                                                            ],
                                                                            "extra_behavior": "forbid",
                                                                        },
                                                                        "ref": "Conditions",
                                                                    },
                                                                },
                                                                "default": r.Conditions(
                                                                    pregnant=False,
                                                                    breastfeeding=False,
                                                                    anticoagulant=False,
                                                                    bleeding_disorder=False,
                                                                    cobalt_allergy=False,
                                                                    leber=False,
                                                                    b12_hypersensitivity=False,
                                                                    vegan=False,
                                                                    folic_acid_started=None,
                                                                ),
                                                            },
                                                        },
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "interval",
                                                            "schema": {
                                                                "type": "default",
                                                                "schema": {
                                                                    "type": "function-before",
                                                                    "function": {
                                                                        "type": "no-info",
                                                                        "function": v.interval_or_none,
                                                                    },
                                                                    "schema": {
                                                                        "type": "nullable",
                                                                        "schema": {"type": "str"},
                                                                    },
                                                                },
                                                                "default": None,
                                                            },
                                                        },
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "override_reason",
                                                            "schema": {
                                                                "type": "default",
                                                                "schema": {
                                                                    "type": "nullable",
                                                                    "schema": {
                                                                        "type": "str",
                                                                        "min_length": 1,
                                                                        "max_length": 500,
                                                                    },
                                                                },
                                                                "default": None,
                                                            },
                                                        },
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "interval_changes",
                                                            "schema": {
                                                                "type": "default",
                                                                "schema": {
                                                                    "type": "function-after",
                                                                    "function": {
                                                                        "type": "with-info",
                                                                        "function": v.one_change_a_day,
                                                                    },
                                                                    "schema": {
                                                                        "type": "list",
                                                                        "items_schema": {
                                                                            "type": "dataclass",
                                                                            "cls": r.IntervalChange,
                                                                            "fields": [
                                                                                "date",
                                                                                "interval",
                                                                                "reason",
                                                                            ],
                                                                            "slots": True,
                                                                            "config": {
                                                                                "extra_fields_behavior": "forbid",
                                                                                "str_max_length": 2000,
                                                                                "title": "IntervalChange",
                                                                            },
                                                                            "schema": {
                                                                                "type": "dataclass-args",
                                                                                "dataclass_name": "IntervalChange",
                                                                                "fields": [
                                                                                    {
                                                                                        "type": "dataclass-field",
                                                                                        "name": "date",
                                                                                        "schema": {
                                                                                            "type": "function-before",
                                                                                            "function": {
                                                                                                "type": "no-info",
                                                                                                "function": v.parse_iso_date,
                                                                                            },
                                                                                            "schema": {
                                                                                                "type": "date"
                                                                                            },
                                                                                        },
                                                                                    },
                                                                                    {
                                                                                        "type": "dataclass-field",
                                                                                        "name": "interval",
                                                                                        "schema": {
                                                                                            "type": "function-before",
                                                                                            "function": {
                                                                                                "type": "no-info",
                                                                                                "function": v.interval_text,
                                                                                            },
                                                                                            "schema": {
                                                                                                "type": "str"
                                                                                            },
                                                                                        },
                                                                                    },
                                                                                    {
                                                                                        "type": "dataclass-field",
                                                                                        "name": "reason",
                                                                                        "schema": {
                                                                                            "type": "default",
                                                                                            "schema": {
                                                                                                "type": "nullable",
                                                                                                "schema": {
                                                                                                    "type": "str",
                                                                                                    "min_length": 1,
                                                                                                    "max_length": 500,
                                                                                                },
                                                                                            },
                                                                                            "default": None,
                                                                                        },
                                                                                    },
                                                                                ],
                                                                                "extra_behavior": "forbid",
                                                                            },
                                                                            "ref": "IntervalChange",
                                                                        },
                                                                        "max_length": 1000,
                                                                    },
                                                                },
                                                                "default_factory": list,
                                                            },
                                                        },
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "missed",
                                                            "schema": {
                                                                "type": "default",
                                                                "schema": {
                                                                    "type": "function-after",
                                                                    "function": {
                                                                        "type": "with-info",
                                                                        "function": v.missed_not_given,
                                                                    },
                                                                    "schema": {
                                                                        "type": "list",
                                                                        "items_schema": {
                                                                            "type": "function-before",
                                                                            "function": {
                                                                                "type": "no-info",
                                                                                "function": v.missed_item,
                                                                            },
                                                                            "schema": {
                                                                                "type": "definition-ref",
                                                                                "schema_ref": "MissedDose",
                                                                            },
                                                                            "json_schema_input_schema": {
                                                                                "type": "union",
                                                                                "choices": [
                                                                                    {
                                                                                        "type": "definition-ref",
                                                                                        "schema_ref": "MissedDose",
                                                                                    },
                                                                                    {
                                                                                        "type": "date"
                                                                                    },
                                                                                ],
                                                                            },
                                                                        },
                                                                        "max_length": 1000,
                                                                    },
                                                                },
                                                                "default_factory": list,
                                                            },
                                                        },
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "clinic",
                                                            "schema": {
                                                                "type": "default",
                                                                "schema": {
                                                                    "type": "nullable",
                                                                    "schema": {
                                                                        "type": "dataclass",
                                                                        "cls": r.Clinic,
                                                                        "fields": [
                                                                            "open",
                                                                            "closed",
                                                                            "holidays",
                                                                        ],
                                                                        "slots": True,
                                                                        "config": {
                                                                            "extra_fields_behavior": "forbid",
                                                                            "str_max_length": 2000,
                                                                            "title": "Clinic",
                                                                        },
                                                                        "schema": {
                                                                            "type": "dataclass-args",
                                                                            "dataclass_name": "Clinic",
                                                                            "fields": [
                                                                                {
                                                                                    "type": "dataclass-field",
                                                                                    "name": "open",
                                                                                    "schema": {
                                                                                        "type": "default",
                                                                                        "schema": {
                                                                                            "type": "function-before",
                                                                                            "function": {
                                                                                                "type": "no-info",
                                                                                                "function": v.clinic_open,
                                                                                            },
                                                                                            "schema": {
                                                                                                "type": "function-after",
                                                                                                "function": {
                                                                                                    "type": "no-info",
                                                                                                    "function": v.distinct_weekdays,
                                                                                                },
                                                                                                "schema": {
                                                                                                    "type": "list",
                                                                                                    "items_schema": {
                                                                                                        "type": "literal",
                                                                                                        "expected": [
                                                                                                            "mon",
                                                                                                            "tue",
                                                                                                            "wed",
                                                                                                            "thu",
                                                                                                            "fri",
                                                                                                            "sat",
                                                                                                            "sun",
                                                                                                        ],
                                                                                                    },
                                                                                                    "min_length": 1,
                                                                                                    "max_length": 7,
                                                                                                },
                                                                                            },
                                                                                            "json_schema_input_schema": {
                                                                                                "type": "union",
                                                                                                "choices": [
                                                                                                    {
                                                                                                        "type": "list",
                                                                                                        "items_schema": {
                                                                                                            "type": "literal",
                                                                                                            "expected": [
                                                                                                                "mon",
                                                                                                                "tue",
                                                                                                                "wed",
                                                                                                                "thu",
                                                                                                                "fri",
                                                                                                                "sat",
                                                                                                                "sun",
                                                                                                            ],
                                                                                                        },
                                                                                                        "min_length": 1,
                                                                                                        "max_length": 7,
                                                                                                    },
                                                                                                    {
                                                                                                        "type": "str",
                                                                                                        "pattern": "^\\s*[A-Za-z]{3}(?:\\s*-\\s*[A-Za-z]{3})?(?:\\s*,\\s*[A-Za-z]{3}(?:\\s*-\\s*[A-Za-z]{3})?)*\\s*$",
                                                                                                    },
                                                                                                ],
                                                                                            },
                                                                                        },
                                                                                        "default": [
                                                                                            "mon",
                                                                                            "tue",
                                                                                            "wed",
                                                                                            "thu",
                                                                                            "fri",
                                                                                            "sat",
                                                                                            "sun",
                                                                                        ],
                                                                                    },
                                                                                },
                                                                                {
                                                                                    "type": "dataclass-field",
                                                                                    "name": "closed",
                                                                                    "schema": {
                                                                                        "type": "default",
                                                                                        "schema": {
                                                                                            "type": "list",
                                                                                            "items_schema": {
                                                                                                "type": "function-before",
                                                                                                "function": {
                                                                                                    "type": "no-info",
                                                                                                    "function": v.parse_iso_date,
                                                                                                },
                                                                                                "schema": {
                                                                                                    "type": "date"
                                                                                                },
                                                                                            },
                                                                                            "max_length": 1000,
                                                                                        },
                                                                                        "default_factory": list,
                                                                                    },
                                                                                },
                                                                                {
                                                                                    "type": "dataclass-field",
                                                                                    "name": "holidays",
                                                                                    "schema": {
                                                                                        "type": "default",
                                                                                        "schema": {
                                                                                            "type": "function-before",
                                                                                            "function": {
                                                                                                "type": "no-info",
                                                                                                "function": v.clinic_region,
                                                                                            },
                                                                                            "schema": {
                                                                                                "type": "nullable",
                                                                                                "schema": {
                                                                                                    "type": "str",
                                                                                                    "pattern": "^[A-Z]{2}(-[A-Z0-9]{1,3})?$",
                                                                                                },
                                                                                            },
                                                                                        },
                                                                                        "default": None,
                                                                                    },
                                                                                },
                                                                            ],
                                                                            "extra_behavior": "forbid",
                                                                        },
                                                                        "ref": "Clinic",
                                                                    },
                                                                },
                                                                "default": None,
                                                            },
                                                        },
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "until",
                                                            "schema": {
                                                                "type": "default",
                                                                "schema": {
                                                                    "type": "function-after",
                                                                    "function": {
                                                                        "type": "with-info",
                                                                        "function": v.not_before_start,
                                                                    },
                                                                    "schema": {
                                                                        "type": "nullable",
                                                                        "schema": {
                                                                            "type": "function-before",
                                                                            "function": {
                                                                                "type": "no-info",
                                                                                "function": v.parse_iso_date,
                                                                            },
                                                                            "schema": {
                                                                                "type": "date"
                                                                            },
                                                                        },
                                                                    },
                                                                },
                                                                "default": None,
                                                            },
                                                        },
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "stopped",
                                                            "schema": {
                                                                "type": "default",
                                                                "schema": {
                                                                    "type": "function-after",
                                                                    "function": {
                                                                        "type": "with-info",
                                                                        "function": v.stopped_after_doses,
                                                                    },
                                                                    "schema": {
                                                                        "type": "nullable",
                                                                        "schema": {
                                                                            "type": "dataclass",
                                                                            "cls": r.Stopped,
                                                                            "fields": [
                                                                                "date",
                                                                                "reason",
                                                                                "note",
                                                                            ],
                                                                            "slots": True,
                                                                            "config": {
                                                                                "extra_fields_behavior": "forbid",
                                                                                "str_max_length": 2000,
                                                                                "title": "Stopped",
                                                                            },
                                                                            "schema": {
                                                                                "type": "dataclass-args",
                                                                                "dataclass_name": "Stopped",
                                                                                "fields": [
                                                                                    {
                                                                                        "type": "dataclass-field",
                                                                                        "name": "date",
                                                                                        "schema": {
                                                                                            "type": "function-before",
                                                                                            "function": {
                                                                                                "type": "no-info",
                                                                                                "function": v.parse_iso_date,
                                                                                            },
                                                                                            "schema": {
                                                                                                "type": "date"
                                                                                            },
                                                                                        },
                                                                                    },
                                                                                    {
                                                                                        "type": "dataclass-field",
                                                                                        "name": "reason",
                                                                                        "schema": {
                                                                                            "type": "literal",
                                                                                            "expected": [
                                                                                                "cause-corrected",
                                                                                                "switched-to-oral",
                                                                                                "transferred-out",
                                                                                                "declined",
                                                                                                "died",
                                                                                                "other",
                                                                                            ],
                                                                                        },
                                                                                    },
                                                                                    {
                                                                                        "type": "dataclass-field",
                                                                                        "name": "note",
                                                                                        "schema": {
                                                                                            "type": "default",
                                                                                            "schema": {
                                                                                                "type": "nullable",
                                                                                                "schema": {
                                                                                                    "type": "str",
                                                                                                    "min_length": 1,
                                                                                                    "max_length": 500,
                                                                                                },
                                                                                            },
                                                                                            "default": None,
                                                                                        },
                                                                                    },
                                                                                ],
                                                                                "extra_behavior": "forbid",
                                                                            },
                                                                            "ref": "Stopped",
                                                                        },
                                                                    },
                                                                },
                                                                "default": None,
                                                            },
                                                        },
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "ref",
                                                            "schema": {
                                                                "type": "default",
                                                                "schema": {
                                                                    "type": "nullable",
                                                                    "schema": {
                                                                        "type": "function-before",
                                                                        "function": {
                                                                            "type": "no-info",
                                                                            "function": v.ref_text,
                                                                        },
                                                                        "schema": {
                                                                            "type": "str",
                                                                            "min_length": 1,
                                                                            "max_length": 64,
                                                                            "pattern": "^[^\\x00-\\x1f\\x7f-\\x9f]+$",
                                                                        },
                                                                    },
                                                                },
                                                                "default": None,
                                                            },
                                                        },
                                                    ],
                                                    "extra_behavior": "forbid",
                                                },
                                            },
                                        },
                                    },
                                    "ref": "Patient",
                                },
                            },
                            {
                                "type": "dataclass-field",
                                "name": "product",
                                "schema": {
                                    "type": "default",
                                    "schema": {
                                        "type": "nullable",
                                        "schema": {
                                            "type": "literal",
                                            "expected": ["hydroxocobalamin", "cyanocobalamin"],
                                        },
                                    },
                                    "default": None,
                                },
                            },
                            {
                                "type": "dataclass-field",
                                "name": "route",
                                "schema": {
                                    "type": "default",
                                    "schema": {
                                        "type": "nullable",
                                        "schema": {
                                            "type": "literal",
                                            "expected": ["im", "sc", "iv"],
                                        },
                                    },
                                    "default": None,
                                },
                            },
                            {
                                "type": "dataclass-field",
                                "name": "strength",
                                "schema": {
                                    "type": "default",
                                    "schema": {
                                        "type": "function-before",
                                        "function": {
                                            "type": "no-info",
                                            "function": v.strength_text,
                                        },
                                        "schema": {"type": "nullable", "schema": {"type": "str"}},
                                    },
                                    "default": None,
                                },
                            },
                            {
                                "type": "dataclass-field",
                                "name": "steps",
                                "schema": {
                                    "type": "default",
                                    "schema": {
                                        "type": "nullable",
                                        "schema": {
                                            "type": "list",
                                            "items_schema": {
                                                "type": "dataclass",
                                                "cls": r.RegimenStep,
                                                "fields": ["dose_mcg", "every", "count", "route"],
                                                "slots": True,
                                                "config": {
                                                    "extra_fields_behavior": "forbid",
                                                    "str_max_length": 2000,
                                                    "title": "RegimenStep",
                                                },
                                                "schema": {
                                                    "type": "dataclass-args",
                                                    "dataclass_name": "RegimenStep",
                                                    "fields": [
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "dose_mcg",
                                                            "schema": {
                                                                "type": "function-before",
                                                                "function": {
                                                                    "type": "no-info",
                                                                    "function": v.dose_mcg,
                                                                },
                                                                "schema": {
                                                                    "type": "union",
                                                                    "choices": [
                                                                        {"type": "int"},
                                                                        {"type": "float"},
                                                                    ],
                                                                },
                                                            },
                                                        },
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "every",
                                                            "schema": {
                                                                "type": "function-before",
                                                                "function": {
                                                                    "type": "no-info",
                                                                    "function": v.interval_text,
                                                                },
                                                                "schema": {"type": "str"},
                                                            },
                                                        },
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "count",
                                                            "schema": {
                                                                "type": "default",
                                                                "schema": {
                                                                    "type": "nullable",
                                                                    "schema": {
                                                                        "type": "int",
                                                                        "strict": True,
                                                                        "ge": 1,
                                                                        "le": 200,
                                                                    },
                                                                },
                                                                "default": None,
                                                            },
                                                        },
                                                        {
                                                            "type": "dataclass-field",
                                                            "name": "route",
                                                            "schema": {
                                                                "type": "default",
                                                                "schema": {
                                                                    "type": "nullable",
                                                                    "schema": {
                                                                        "type": "literal",
                                                                        "expected": [
                                                                            "im",
                                                                            "sc",
                                                                            "iv",
                                                                        ],
                                                                    },
                                                                },
                                                                "default": None,
                                                            },
                                                        },
                                                    ],
                                                    "extra_behavior": "forbid",
                                                },
                                                "ref": "RegimenStep",
                                            },
                                            "min_length": 1,
                                            "max_length": 20,
                                        },
                                    },
                                    "default": None,
                                },
                            },
                            {
                                "type": "dataclass-field",
                                "name": "regimen",
                                "schema": {
                                    "type": "default",
                                    "schema": {
                                        "type": "function-after",
                                        "function": {
                                            "type": "with-info",
                                            "function": v.regimen_grammar,
                                        },
                                        "schema": {"type": "nullable", "schema": {"type": "str"}},
                                    },
                                    "default": None,
                                },
                            },
                        ],
                        "extra_behavior": "forbid",
                    },
                },
            },
            "ref": "Regimen",
        },
        "definitions": [
            {
                "type": "function-after",
                "function": {"type": "no-info", "function": v.lab_plausible},
                "schema": {
                    "type": "dataclass",
                    "cls": r.Lab,
                    "fields": [
                        "analyte",
                        "value",
                        "unit",
                        "date",
                        "ref_low",
                        "ref_high",
                        "comparator",
                    ],
                    "slots": True,
                    "config": {
                        "extra_fields_behavior": "forbid",
                        "str_max_length": 2000,
                        "title": "Lab",
                    },
                    "schema": {
                        "type": "function-before",
                        "function": {"type": "no-info", "function": v.lab_object},
                        "schema": {
                            "type": "dataclass-args",
                            "dataclass_name": "Lab",
                            "fields": [
                                {
                                    "type": "dataclass-field",
                                    "name": "analyte",
                                    "schema": {
                                        "type": "literal",
                                        "expected": [
                                            "b12",
                                            "active-b12",
                                            "mma",
                                            "homocysteine",
                                            "hb",
                                            "mcv",
                                            "folate",
                                            "potassium",
                                            "egfr",
                                            "platelets",
                                            "inr",
                                            "retic",
                                        ],
                                    },
                                },
                                {
                                    "type": "dataclass-field",
                                    "name": "value",
                                    "schema": {
                                        "type": "function-before",
                                        "function": {"type": "no-info", "function": v.lab_value},
                                        "schema": {
                                            "type": "union",
                                            "choices": [{"type": "int"}, {"type": "float"}],
                                        },
                                        "json_schema_input_schema": {
                                            "type": "union",
                                            "choices": [
                                                {"type": "int"},
                                                {"type": "float"},
                                                {
                                                    "type": "str",
                                                    "pattern": "^\\s*(<=|>=|<|>|≤|≥)\\s*([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?\\s*$",
                                                },
                                            ],
                                        },
                                    },
                                },
                                {
                                    "type": "dataclass-field",
                                    "name": "unit",
                                    "schema": {
                                        "type": "function-before",
                                        "function": {
                                            "type": "with-info",
                                            "function": v.lab_known_unit,
                                        },
                                        "schema": {"type": "str"},
                                    },
                                },
                                {
                                    "type": "dataclass-field",
                                    "name": "date",
                                    "schema": {
                                        "type": "function-before",
                                        "function": {
                                            "type": "no-info",
                                            "function": v.parse_iso_date,
                                        },
                                        "schema": {"type": "date"},
                                    },
                                },
                                {
                                    "type": "dataclass-field",
                                    "name": "ref_low",
                                    "schema": {
                                        "type": "default",
                                        "schema": {
                                            "type": "nullable",
                                            "schema": {
                                                "type": "function-before",
                                                "function": {
                                                    "type": "no-info",
                                                    "function": v.positive_number,
                                                },
                                                "schema": {
                                                    "type": "union",
                                                    "choices": [{"type": "int"}, {"type": "float"}],
                                                },
                                            },
                                        },
                                        "default": None,
                                    },
                                },
                                {
                                    "type": "dataclass-field",
                                    "name": "ref_high",
                                    "schema": {
                                        "type": "default",
                                        "schema": {
                                            "type": "nullable",
                                            "schema": {
                                                "type": "function-before",
                                                "function": {
                                                    "type": "no-info",
                                                    "function": v.positive_number,
                                                },
                                                "schema": {
                                                    "type": "union",
                                                    "choices": [{"type": "int"}, {"type": "float"}],
                                                },
                                            },
                                        },
                                        "default": None,
                                    },
                                },
                                {
                                    "type": "dataclass-field",
                                    "name": "comparator",
                                    "schema": {
                                        "type": "default",
                                        "schema": {
                                            "type": "function-before",
                                            "function": {
                                                "type": "no-info",
                                                "function": v.lab_comparator,
                                            },
                                            "schema": {
                                                "type": "nullable",
                                                "schema": {
                                                    "type": "literal",
                                                    "expected": ["<", ">", "<=", ">="],
                                                },
                                            },
                                        },
                                        "default": None,
                                    },
                                },
                            ],
                            "extra_behavior": "forbid",
                        },
                    },
                },
                "ref": "Lab",
            },
            {
                "type": "dataclass",
                "cls": r.GivenDose,
                "fields": ["date", "dose_mcg", "site", "product", "route"],
                "slots": True,
                "config": {
                    "extra_fields_behavior": "forbid",
                    "str_max_length": 2000,
                    "title": "GivenDose",
                },
                "schema": {
                    "type": "dataclass-args",
                    "dataclass_name": "GivenDose",
                    "fields": [
                        {
                            "type": "dataclass-field",
                            "name": "date",
                            "schema": {
                                "type": "function-before",
                                "function": {"type": "no-info", "function": v.parse_iso_date},
                                "schema": {"type": "date"},
                            },
                        },
                        {
                            "type": "dataclass-field",
                            "name": "dose_mcg",
                            "schema": {
                                "type": "default",
                                "schema": {
                                    "type": "nullable",
                                    "schema": {
                                        "type": "function-before",
                                        "function": {"type": "no-info", "function": v.dose_mcg},
                                        "schema": {
                                            "type": "union",
                                            "choices": [{"type": "int"}, {"type": "float"}],
                                        },
                                    },
                                },
                                "default": None,
                            },
                        },
                        {
                            "type": "dataclass-field",
                            "name": "site",
                            "schema": {
                                "type": "default",
                                "schema": {
                                    "type": "nullable",
                                    "schema": {"type": "str", "max_length": 100},
                                },
                                "default": None,
                            },
                        },
                        {
                            "type": "dataclass-field",
                            "name": "product",
                            "schema": {
                                "type": "default",
                                "schema": {
                                    "type": "nullable",
                                    "schema": {
                                        "type": "literal",
                                        "expected": ["hydroxocobalamin", "cyanocobalamin"],
                                    },
                                },
                                "default": None,
                            },
                        },
                        {
                            "type": "dataclass-field",
                            "name": "route",
                            "schema": {
                                "type": "default",
                                "schema": {
                                    "type": "nullable",
                                    "schema": {"type": "literal", "expected": ["im", "sc", "iv"]},
                                },
                                "default": None,
                            },
                        },
                    ],
                    "extra_behavior": "forbid",
                },
                "ref": "GivenDose",
            },
            {
                "type": "dataclass",
                "cls": r.MissedDose,
                "fields": ["date", "reason"],
                "slots": True,
                "config": {
                    "extra_fields_behavior": "forbid",
                    "str_max_length": 2000,
                    "title": "MissedDose",
                },
                "schema": {
                    "type": "dataclass-args",
                    "dataclass_name": "MissedDose",
                    "fields": [
                        {
                            "type": "dataclass-field",
                            "name": "date",
                            "schema": {
                                "type": "function-before",
                                "function": {"type": "no-info", "function": v.parse_iso_date},
                                "schema": {"type": "date"},
                            },
                        },
                        {
                            "type": "dataclass-field",
                            "name": "reason",
                            "schema": {
                                "type": "default",
                                "schema": {
                                    "type": "literal",
                                    "expected": [
                                        "declined",
                                        "did-not-attend",
                                        "unavailable",
                                        "other",
                                    ],
                                },
                                "default": "other",
                            },
                        },
                    ],
                    "extra_behavior": "forbid",
                },
                "ref": "MissedDose",
            },
        ],
    }
