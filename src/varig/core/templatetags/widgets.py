"""The options of a select, written in Python (`django/forms/widgets/select.html` in varig.core).

Django's own select template includes two templates per option; with hundreds of options (the
caseload filter offers every advisor: 400 at national scale) that was 23 ms of a page. The
markup is the same as Django's `select_option.html` and `attrs.html`. Every value and label is
escaped with `html.escape`, which is what `django.utils.html.escape` does, without its lazy-string
wrapper (a third of the time here). A label marked safe is escaped too: options carry text.
"""

from html import escape

from django import template
from django.utils.safestring import SafeString

register = template.Library()


def _attrs(attrs: dict) -> str:
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False and value is not None
    )


def _option(option: dict) -> str:
    value, label = escape(str(option["value"])), escape(str(option["label"]))
    return f'\n  <option value="{value}"{_attrs(option["attrs"])}>{label}</option>'


@register.simple_tag
def select_options(widget: dict) -> SafeString:
    parts = []
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{escape(str(group_name))}">')
        parts.extend(_option(option) for option in group_choices)
        if group_name:
            parts.append("\n  </optgroup>")
    return SafeString("".join(parts))
