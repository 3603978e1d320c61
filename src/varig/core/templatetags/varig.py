"""Template helpers shared by every app."""

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def url_if_exists(name: str, *args) -> str:
    """The URL of `name`, or "" when no such URL is installed (a page another app adds later)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""
