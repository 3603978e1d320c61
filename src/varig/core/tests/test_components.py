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


@pytest.mark.parametrize(
    "name", ["customers:detail", "placements:followup_record", "placements:detail"]
)
@pytest.mark.parametrize("pk", [1, 7, 42, 2147483647, "19"])
def test_pk_url_writes_what_the_url_tag_writes(name, pk):
    for language in ("da", "en"):
        with override(language):
            reversed_ = _render("{% url name pk %}", name=name, pk=pk)
            tagged = _render("{% load components %}{% pk_url name pk %}", name=name, pk=pk)
        assert tagged == reversed_


def test_pk_url_reverses_once_per_render_and_per_name(monkeypatch):
    from varig.core.templatetags import components

    calls = []
    real = components.reverse
    monkeypatch.setattr(components, "reverse", lambda *a, **k: calls.append(a) or real(*a, **k))
    source = (
        "{% load components %}{% for pk in pks %}{% pk_url 'customers:detail' pk %} "
        "{% pk_url 'placements:followup_record' pk %} {% endfor %}"
    )
    rendered = _render(source, pks=range(1, 51))
    assert len(calls) == 2
    assert "/jobkunder/50/" in rendered
    _render(source, pks=[1])
    assert len(calls) == 4, "a new render reverses again (no state kept between pages)"


def test_pk_url_refuses_a_key_that_is_not_an_integer():
    with pytest.raises(ValueError):
        _render("{% load components %}{% pk_url 'customers:detail' pk %}", pk="1/../x")
