"""Rule families. Importing this package registers every rule.

One module per family; a module that needs optional heavy dependencies
(the fluency model) must import them lazily so that `--no-model` runs never
load torch.
"""

from mtqa.checks import encoding, entities, spacing, repetition, language, bilingual, wording, fluency  # noqa: F401
