"""`get_FOO_display()` of the models that mix in varig.core.choices.ChoiceLabels answers what
Django's own does, for every choice of every field, in Danish and English, and for values that
are not among the choices."""

import pytest
from django.apps import apps
from django.db import models
from django.utils.translation import override

from varig.core.choices import ChoiceLabels

MIXED_IN = [m for m in apps.get_models() if issubclass(m, ChoiceLabels)]


def _fields(model):
    return [f for f in model._meta.concrete_fields if f.choices is not None]


def test_the_models_of_the_person_page_use_it():
    names = {m._meta.label for m in MIXED_IN}
    assert {
        "customers.ReadinessAssessment",
        "customers.ContactNote",
        "placements.Placement",
    } <= names


@pytest.mark.parametrize("model", MIXED_IN, ids=lambda m: m._meta.label)
@pytest.mark.parametrize("language", ["da", "en"])
def test_every_label_is_djangos_own(model, language):
    assert _fields(model), model
    for field in _fields(model):
        display = getattr(model, f"get_{field.name}_display")
        values = [value for value, _label in field.flatchoices] + ["not-a-choice", "", None]
        for value in values:
            instance = model()
            setattr(instance, field.attname, value)
            with override(language):
                ours = display(instance)
                djangos = models.Model._get_FIELD_display(instance, field)
            assert ours == djangos and type(ours) is type(djangos), (field, value)


def test_the_label_follows_the_active_language():
    from varig.customers.models import ContactNote

    note = ContactNote(kind="phone")
    with override("da"):
        danish = note.get_kind_display()
    with override("en"):
        english = note.get_kind_display()
    assert (danish, english) == ("Telefon", "Phone")
