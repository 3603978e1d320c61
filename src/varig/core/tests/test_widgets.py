"""The select widget's options are written in Python (varig.core.templatetags.widgets): the
markup must stay exactly Django's own, escaping included."""

from django import forms
from django.forms.renderers import DjangoTemplates, TemplatesSetting
from django.test import override_settings
from django.test.html import parse_html

CHOICES = [
    ("", "---------"),
    (1, "Anna <Berg> & \"Co\" 'x'"),
    ("Nordjylland", [("a", "Ålborg"), ("b", "Æbeltoft")]),
    ('x"><script>', "Øster"),
]


class SomeForm(forms.Form):
    one = forms.ChoiceField(choices=CHOICES, required=False)
    many = forms.MultipleChoiceField(choices=CHOICES, required=False)
    typed = forms.TypedChoiceField(
        choices=[(True, "Ja"), (False, "Nej")], coerce=bool, required=False
    )
    labelled = forms.ChoiceField(
        choices=CHOICES, widget=forms.Select(attrs={"class": "c", "data-x": '"q"'})
    )


def _render(renderer, data):
    form = SomeForm(data, renderer=renderer)
    return [str(form[name]) for name in form.fields]


def _same_html(ours, djangos):
    # Django's option template ends in a newline, so its markup has blank lines between options.
    assert [parse_html(html) for html in ours] == [parse_html(html) for html in djangos]
    assert [html.replace("\n\n", "\n") for html in djangos] == ours


def test_the_select_markup_is_djangos_own():
    data = {"one": "1", "many": ["a", 'x"><script>'], "typed": "True", "labelled": "b"}
    ours = _render(TemplatesSetting(), data)
    _same_html(ours, _render(DjangoTemplates(), data))
    assert "&lt;script&gt;" in ours[1] and "<script>" not in ours[1]
    assert '<option value="a" selected>Ålborg</option>' in ours[1]


@override_settings(LANGUAGE_CODE="da")
def test_the_project_renders_forms_with_the_fast_select():
    form = SomeForm()
    assert isinstance(form.renderer, TemplatesSetting)  # the project's FORM_RENDERER
    _same_html([str(form["one"])], _render(DjangoTemplates(), None)[:1])
