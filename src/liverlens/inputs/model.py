"""The input contract (design.md) as pydantic models: the one place a field is declared.

Every person and context field says here, once, what it is: its type and bounds, its help
text, the shorter name the CLI and the web form use for it (``short``), the label of its form
field (``label``, a ``ui.yaml`` id) and, for a yes/no field, the word of the CLI's off switch
(``off``). ``inputs.fields`` reads these declarations, so a new field appears in the CLI, the
form, batch columns and the engine's columns without being written again.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)
from pydantic_core import PydanticCustomError

from liverlens.knowledge import Language

MAX_AGE = 120
# Bounds on what one panel may carry. Far above any real panel, they keep one request from
# costing seconds of CPU (24,000 medicine names took 12 s before) and say the limit.
MAX_LIST = 60  # medicines, symptoms, conditions
MAX_TEXT = 200  # characters of one name, a unit, a preset id
MAX_LABS = 40  # tests in one panel
MAX_HISTORY = 500  # earlier panels
Name = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
# Ways people and tables write sex; the contract's words are "male" and "female".
SEX_WORDS = {
    "male": "male",
    "m": "male",
    "man": "male",
    "男": "male",
    "female": "female",
    "f": "female",
    "woman": "female",
    "女": "female",
}


def _not_a_flag(value: Any) -> Any:
    # JSON true is 1 to Python; as a lab value or an age it is a slip, never a number
    if isinstance(value, bool):
        raise PydanticCustomError("number_not_bool", "expected a number, not true or false")
    return value


Number = Annotated[float, BeforeValidator(_not_a_flag)]
"""A finite number (NaN and infinity are refused by the models' config), never true/false."""


class _Model(BaseModel):
    # allow_inf_nan=False: NaN or infinity would pass every comparison the wrong way (a NaN
    # ALT read as "above 10,000 U/L"), so no number that enters the contract may be one
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


def _meta(label: str, short: str | None = None, **more: Any) -> dict[str, Any]:
    """The surfaces' view of a field (see the module docstring). Besides ``label``,
    ``short``, ``hint`` and ``off``: ``cli`` (a list's singular option, ``--medication``),
    ``vocabulary`` (words ticked from vocabulary.yaml), ``choices`` (each choice's ui.yaml
    label, ``""`` for "not said"), ``none`` (a list's "I have none" box) and ``fieldset``
    (the form section, when not the group's own)."""
    return {"label": label, **({"short": short} if short else {}), **more}


Comparator = Literal["<", "<=", ">", ">="]
"""A result a lab gives only as a bound: ``<5`` (below its lowest reportable value) or
``>1000`` (above its highest). The value is then the bound."""


class LabValue(_Model):
    value: Number
    unit: Name | None = None
    upper_limit: Number | None = Field(None, gt=0)
    lower_limit: Number | None = Field(None, ge=0)
    comparator: Comparator | None = None


LabEntry = Number | LabValue


class Person(_Model):
    sex: Literal["male", "female"] | None = Field(
        None,
        description="Sex, for the sex-specific limits.",
        json_schema_extra=_meta(
            "ui.form.sex",
            choices={"": "ui.form.sex_unsaid", "male": "ui.form.male", "female": "ui.form.female"},
            aliases=SEX_WORDS,
        ),
    )
    age: Number | None = Field(
        None, ge=0, le=MAX_AGE, description="Age in years.", json_schema_extra=_meta("ui.form.age")
    )
    height_cm: Number | None = Field(
        None,
        ge=50,
        le=260,
        description="Height, to work out BMI.",
        json_schema_extra=_meta("ui.form.height"),
    )
    weight_kg: Number | None = Field(
        None,
        ge=2,
        le=400,
        description="Weight, to work out BMI.",
        json_schema_extra=_meta("ui.form.weight"),
    )
    bmi: Number | None = Field(
        None,
        ge=10,
        le=90,
        description="Body-mass index (kg/m²).",
        json_schema_extra=_meta("ui.form.bmi", hint="ui.form.bmi_hint"),
    )
    diabetes: bool | None = Field(
        None,
        description="Diabetes or raised blood sugar.",
        json_schema_extra=_meta("ui.form.diabetes"),
    )
    pregnant: bool | None = Field(
        None,
        description="Currently pregnant.",
        json_schema_extra=_meta("ui.form.pregnant", off="not"),
    )
    asian: bool | None = Field(
        None,
        description="Asian ancestry (BMI cut-off 23).",
        json_schema_extra=_meta("ui.form.asian", off="not"),
    )
    pregnancy_weeks: Number | None = Field(
        None,
        ge=0,
        le=45,
        description="Weeks of pregnancy (implies pregnant).",
        json_schema_extra=_meta("ui.form.pregnancy_weeks", "weeks_pregnant"),
    )
    high_blood_pressure: bool | None = Field(
        None,
        description="Blood pressure of 140/90 or more measured recently.",
        json_schema_extra=_meta("ui.form.high_blood_pressure", "high_bp"),
    )
    protein_in_urine: bool | None = Field(
        None,
        description="Protein found in the urine recently.",
        json_schema_extra=_meta("ui.form.protein_in_urine", "urine_protein"),
    )

    @field_validator("sex", mode="before")
    @classmethod
    def _fold_sex(cls, v: Any) -> Any:
        if isinstance(v, str):
            folded = v.strip().lower()
            return SEX_WORDS.get(folded, folded)
        return v


class MedicineTaken(_Model):
    """A medicine with its dates, so the engine can weigh timing and score RUCAM."""

    name: Name
    started_on: date | None = None
    stopped_on: date | None = None


class Context(_Model):
    strenuous_exercise_days_ago: Number | None = Field(
        None,
        ge=0,
        le=3650,
        description="Days since hard or unusual exercise.",
        json_schema_extra=_meta(
            "ui.form.exercise", "exercise_days_ago", hint="ui.form.exercise_hint"
        ),
    )
    late_nights: bool | None = Field(
        None, description="Staying up late lately.", json_schema_extra=_meta("ui.form.late_nights")
    )
    fatigue: bool | None = Field(
        None,
        description="Unusually tired or overworked.",
        json_schema_extra=_meta("ui.form.fatigue"),
    )
    alcohol_grams_per_week: Number | None = Field(
        None,
        ge=0,
        le=5000,
        description="Alcohol, grams a week (0 for none).",
        json_schema_extra=_meta("ui.form.alcohol", "alcohol_g_week", hint="ui.form.alcohol_hint"),
    )
    recent_heavy_drinking: bool | None = Field(
        None,
        description="Drank heavily in the days before the test.",
        json_schema_extra=_meta("ui.form.heavy_drinking", "heavy_drinking"),
    )
    medications: list[Name | MedicineTaken] | None = Field(
        None,
        max_length=MAX_LIST,
        description="A medicine or supplement (repeatable); as an object it may carry "
        "started_on and stopped_on.",
        json_schema_extra=_meta(
            "ui.form.medications", cli="medication", none="ui.form.no_medications"
        ),
    )
    possible_overdose: bool | None = Field(
        None,
        description="More paracetamol (or another medicine) than the safe amount may have been "
        "taken.",
        json_schema_extra=_meta("ui.form.overdose"),
    )
    symptoms: list[Name] | None = Field(
        None,
        max_length=MAX_LIST,
        description="A symptom, e.g. jaundice (repeatable).",
        json_schema_extra=_meta(
            "ui.form.symptoms", cli="symptom", vocabulary="symptoms", none="ui.form.no_symptoms"
        ),
    )
    known_conditions: list[Name] | None = Field(
        None,
        max_length=MAX_LIST,
        description="A known condition, e.g. hepatitis_b (repeatable).",
        json_schema_extra=_meta(
            "ui.form.conditions",
            cli="condition",
            vocabulary="conditions",
            none="ui.form.no_conditions",
        ),
    )
    ascites: Literal["none", "slight", "moderate"] | None = Field(
        None,
        description="Fluid in the belly (for Child-Pugh): none, slight or moderate.",
        json_schema_extra=_meta(
            "ui.form.ascites",
            fieldset="ui.form.for_doctor",
            choices={
                "": "ui.choice.unsure",
                "none": "ui.form.ascites_none",
                "slight": "ui.form.ascites_slight",
                "moderate": "ui.form.ascites_moderate",
            },
        ),
    )
    encephalopathy: Literal["none", "grade_1_2", "grade_3_4"] | None = Field(
        None,
        description="Confusion from the liver (for Child-Pugh): none, grade_1_2 or grade_3_4.",
        json_schema_extra=_meta(
            "ui.form.encephalopathy",
            fieldset="ui.form.for_doctor",
            choices={
                "": "ui.choice.unsure",
                "none": "ui.form.encephalopathy_none",
                "grade_1_2": "ui.form.encephalopathy_grade_1_2",
                "grade_3_4": "ui.form.encephalopathy_grade_3_4",
            },
        ),
    )
    dialysis_twice_past_week: bool | None = Field(
        None,
        description="Dialysis at least twice in the past week (for MELD).",
        json_schema_extra=_meta("ui.form.dialysis", "dialysis", fieldset="ui.form.for_doctor"),
    )


class HistoryEntry(_Model):
    collected_on: date
    labs: dict[Name, LabEntry] = Field(max_length=MAX_LABS)


class InterpretInput(_Model):
    """The public input contract of ``liverlens.interpret`` (see design.md)."""

    person: Person = Field(default_factory=Person)
    labs: dict[Name, LabEntry] = Field(max_length=MAX_LABS)
    collected_on: date | None = None
    context: Context = Field(default_factory=Context)
    history: list[HistoryEntry] = Field(default_factory=list, max_length=MAX_HISTORY)
    reference: Name | None = None
    language: Language = "en"

    @field_validator("language", mode="before")
    @classmethod
    def _language_as_text(cls, v: Any) -> Any:
        # which languages exist is data (languages.yaml): resolve() checks the value and
        # lists them, for a number as for an unknown word
        return v if isinstance(v, str) else repr(v)
