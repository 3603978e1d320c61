"""Helpers for tests that post forms as a browser would."""

from django import forms


def form_data(form: forms.BaseForm, **changes) -> dict:
    """The POST data a browser sends for `form` as rendered (its initial values, formatted by
    each widget, checkboxes only when ticked), with `changes` applied on top."""
    data: dict = {}
    for name, field in form.fields.items():
        value = form[name].value()
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            if value:
                data[name] = "on"
            continue
        formatted = widget.format_value(value)
        if isinstance(formatted, list):
            if getattr(widget, "allow_multiple_selected", False):
                data[name] = formatted
            else:
                data[name] = formatted[0] if formatted else ""
        else:
            data[name] = "" if formatted is None else formatted
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data
