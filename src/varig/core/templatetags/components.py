"""Shared components as tags, for the rows of long lists.

`{% badge label tone %}` writes exactly what `{% include "core/components/badge.html" with
label=label tone=tone %}` writes (its line breaks included, so swapping one for the other changes
no byte of a page) without an include per row: the include looks the template up, pushes a
context and renders it, about ten times the cost of the span itself. A job customer's page had
a hundred of them (issue 9).
"""

from django import template
from django.urls import reverse
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


_PK_MARKER = 2147483647


@register.simple_tag(takes_context=True)
def pk_url(context, name, pk) -> str:
    """`{% url name pk %}` for a URL whose one argument is an integer key, reversed once per
    page render: the rows of a long list (I dag has 150) each reversed their own links, about
    a tenth of the page's time. The reversed URL is kept in the render's own context, so a
    change of language or URL prefix between requests cannot leak into another page."""
    cache = context.render_context.setdefault("pk_url", {})
    parts = cache.get(name)
    if parts is None:
        url = reverse(name, args=[_PK_MARKER])
        head, marker, tail = url.rpartition(str(_PK_MARKER))
        if not marker:
            raise ValueError(f"{name} does not take an integer key")
        parts = cache[name] = (head, tail)
    return f"{parts[0]}{int(pk)}{parts[1]}"
