"""Hypothesis strategies shared by the property tests: believable liver panels."""

from __future__ import annotations

from hypothesis import strategies as st

panels = st.fixed_dictionaries(
    {"alt": st.floats(1, 20000, allow_nan=False)},
    optional={
        "ast": st.floats(1, 20000, allow_nan=False),
        "alp": st.floats(10, 3000, allow_nan=False),
        "ggt": st.floats(5, 2000, allow_nan=False),
        "bilirubin": st.floats(1, 400, allow_nan=False),
        "platelets": st.floats(10, 600, allow_nan=False),
        "albumin": st.floats(15, 55, allow_nan=False),
        "inr": st.floats(0.8, 5, allow_nan=False),
        "ck": st.floats(20, 50000, allow_nan=False),
    },
)
