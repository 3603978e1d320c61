"""Shared components as tags, for the rows of long lists.

`{% badge label tone %}` writes exactly what `{% include "core/components/badge.html" with
label=label tone=tone %}` writes (its line breaks included, so swapping one for the other changes
no byte of a page) without an include per row: the include looks the template up, pushes a
context and renders it, about ten times the cost of the span itself. A job customer's page had
a hundred of them (issue 9).
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def badge(label, tone="") -> SafeString:
    """A status badge: `tone` is ok, warn, alert or muted (empty: muted)."""
    return SafeString(
        f'\n<span class="badge badge-{conditional_escape(tone or "muted")}">'
        f"{conditional_escape(label)}</span>\n"
    )
