"""The component tags (varig.core.templatetags.components) write the same markup as the
component templates they stand in for, escaping included."""

import pytest
from django.template import engines
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

LABELS = ["Aktiv", "Anna <Berg> & \"Co\" 'x'", mark_safe("<b>ok</b>"), gettext_lazy("Active"), None]
TONES = ["ok", "warn", "alert", "muted", "", None, 'x"><script>']


def _render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize("tone", TONES)
@pytest.mark.parametrize("label", LABELS)
def test_badge_writes_what_the_badge_template_writes(label, tone):
    with override("da"):
        included = _render(
            '{% include "core/components/badge.html" with label=label tone=tone %}',
            label=label,
            tone=tone,
        )
        tagged = _render("{% load components %}{% badge label tone %}", label=label, tone=tone)
    assert tagged == included


def test_badge_without_a_tone_is_muted():
    assert _render("{% load components %}{% badge 'Ny' %}") == (
        '\n<span class="badge badge-muted">Ny</span>\n'
    )


def test_badge_escapes_its_label_even_where_autoescape_is_off():
    source = "{% load components %}{% autoescape off %}{% badge label 'ok' %}{% endautoescape %}"
    assert "&lt;script&gt;" in _render(source, label="<script>")
