"""Helpers for tests that post forms as a browser would."""

from django import forms


def form_data(form: forms.BaseForm, **changes) -> dict:
    """The POST data a browser sends for `form` as rendered (its initial values, formatted by
    each widget, checkboxes only when ticked), with `changes` applied on top. Keys are the
    names the browser sends (with the form's prefix); `changes` name the fields without it."""
    data: dict = {}
    for name, field in form.fields.items():
        key = form[name].html_name
        value = form[name].value()
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            if value:
                data[key] = "on"
            continue
        formatted = widget.format_value(value)
        if isinstance(formatted, list):
            if getattr(widget, "allow_multiple_selected", False):
                data[key] = formatted
            else:
                data[key] = formatted[0] if formatted else ""
        else:
            data[key] = "" if formatted is None else formatted
    for name, value in changes.items():
        key = form[name].html_name if name in form.fields else name
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data
