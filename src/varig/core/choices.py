"""`get_FOO_display()` without rebuilding the choices on every call.

Django's own (`Model._get_FIELD_display`) builds a dict of all of a field's choices on every
call and hashes every label to do so: a lazy label is translated to be hashed, so one call
translates every choice of the field. On a job customer's page its hundred calls (a row's kind,
life area, rating …) were about a tenth of the page (issue 9). Models that show a choice label in
a long list mix this in before `models.Model`; a field's labels are looked up in a dict built once
per field (the labels stay lazy, so the active language still decides).
"""

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

_LABELS_ATTR = "_varig_choice_labels"


def _labels(field) -> dict:
    labels = getattr(field, _LABELS_ATTR, None)
    if labels is None:
        labels = {make_hashable(value): label for value, label in field.flatchoices}
        setattr(field, _LABELS_ATTR, labels)
    return labels


class ChoiceLabels:
    """Mix in before `models.Model`: every `get_FOO_display()` of the model reads a dict built
    once per field; the answer is Django's own (tests compare them for every choice)."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        try:
            label = _labels(field).get(make_hashable(value), value)
        except TypeError:  # a value that cannot be a key cannot be one of the choices either
            label = value
        return force_str(label, strings_only=True)
