"""The JSON Schema of the rubric format, for editors: a complete rubric, or one that ``extends``
a base and only changes it.

A rubric without ``extends`` must be complete, so it is checked against the model's own schema.
A rubric with ``extends`` changes its base by id (``extends.py``): a criterion, signal or rule
entry needs only its id, a criterion may ``remove`` signals and rules, and nothing else is
required. Which entries are new (and so must be complete) depends on the base, which a schema
cannot see; ``credscore rubric check`` says that.
"""

from __future__ import annotations

import copy
from typing import Any

from credscore.rubric.model import Rubric

# Definitions whose required keys an overlay may leave out (it changes the base's entry of that
# id), and the name of their relaxed copy. Lists of steps, grades and verdicts replace the base's
# whole, so their items stay complete.
CHANGES = {"Criterion": "CriterionChange", "Signal": "SignalChange", "Rule": "RuleChange",
           "LabelMap": "LabelMapChange", "ShortText": "ShortTextChange"}
BASE_KEYS: dict[str, Any] = {
    "extends": {"type": "string", "description": "A base rubric: a shipped id or a path relative "
                "to this file. Criteria, signals and rules then change it by id."},
    "remove": {"type": "array", "items": {"type": "string"},
               "description": "Ids of the base's criteria to leave out (needs 'extends')."},
    "lexicon_files": {"type": "array", "items": {"type": "string"},
                      "description": "Files holding shared 'lexicons', relative to this one."},
}
CRITERION_REMOVE = {"type": "array", "items": {"type": "string"},
                    "description": "Ids of the base criterion's signals and rules to leave out."}


def rubric_json_schema() -> dict[str, Any]:
    complete = Rubric.model_json_schema(by_alias=True)
    defs: dict[str, Any] = complete.pop("$defs")
    complete["properties"]["lexicon_files"] = BASE_KEYS["lexicon_files"]
    for name, change in CHANGES.items():
        defs[change] = _relaxed(defs[name], keep=("id",))
    defs["CriterionChange"]["properties"]["remove"] = CRITERION_REMOVE
    defs["Rubric"] = complete
    # The keys every rubric may hold, each typed as an overlay may write it, so an editor completes
    # them whether or not the file extends a base; the complete rubric's requirements apply only
    # when it does not.
    overlay = _relaxed(complete, keep=())
    overlay["properties"].update(BASE_KEYS)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "credscore rubric",
        "type": "object",
        "properties": overlay["properties"],
        "additionalProperties": False,
        "if": {"required": ["extends"]},
        "else": {"$ref": "#/$defs/Rubric"},
        "$defs": defs,
    }


def _relaxed(definition: dict[str, Any], keep: tuple[str, ...]) -> dict[str, Any]:
    """A copy of ``definition`` that requires only the keys in ``keep``, lets its lists be empty,
    and whose entries point at the relaxed definitions."""
    out = _to_changes(copy.deepcopy(definition))
    out["required"] = [key for key in out.get("required", []) if key in keep]
    if not out["required"]:
        del out["required"]
    for prop in out.get("properties", {}).values():
        prop.pop("minItems", None)
    return out


def _to_changes(node: Any) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        name = ref.removeprefix("#/$defs/")
        if name in CHANGES:
            node["$ref"] = f"#/$defs/{CHANGES[name]}"
        for value in node.values():
            _to_changes(value)
    elif isinstance(node, list):
        for value in node:
            _to_changes(value)
    return node
