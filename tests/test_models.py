"""Models built without validation (for the ones made by the million) are the same models."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from credscore.models import Finding, Sentence


@pytest.mark.parametrize(("model", "values"), [
    (Finding, {"signal": "animal_study", "zone": "body", "start": 142, "end": 146,
               "text": "Rats", "sentence": "Rats fed.", "points": -0.5}),
    (Sentence, {"start": 3, "end": 9, "zone": "quote"}),
])
def test_a_trusted_model_is_the_validated_one(model, values: dict) -> None:
    trusted, checked = model.trusted(**values), model(**values)
    assert trusted == checked and hash(trusted) == hash(checked)
    assert trusted.model_dump() == checked.model_dump() == values
    assert trusted.model_dump_json() == checked.model_dump_json()
    assert json.loads(trusted.model_dump_json()) == values
    assert repr(trusted) == repr(checked)
    assert trusted.model_fields_set == checked.model_fields_set
    with pytest.raises(ValidationError):  # still frozen
        trusted.start = 0  # type: ignore[misc]
