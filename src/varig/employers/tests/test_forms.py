import pytest
from django import forms

from varig.employers.forms import CompanyPickerField
from varig.employers.tests.factories import make_company

pytestmark = pytest.mark.django_db


class PickerForm(forms.Form):
    company = CompanyPickerField()


def test_the_picker_renders_only_the_empty_option_with_many_companies(
    django_assert_num_queries,
):
    for _ in range(200):
        make_company()
    with django_assert_num_queries(0):
        html = str(PickerForm()["company"])
    assert html.count("<option") == 1
    assert 'id="id_company_search"' in html and 'hx-target="#id_company"' in html
    assert 'hx-trigger="input changed delay:250ms, search"' in html
    assert "Søg virksomhed" in html


def test_the_picker_accepts_any_company_and_shows_the_chosen_one_again():
    for _ in range(200):
        make_company()
    chosen = make_company(name="Langt Nede ApS", postcode="8000", city="Aarhus C")
    form = PickerForm({"company": str(chosen.pk)})
    assert form.is_valid() and form.cleaned_data["company"] == chosen
    html = str(form["company"])
    assert html.count("<option") == 2
    assert f'<option value="{chosen.pk}" selected>Langt Nede ApS, 8000 Aarhus C</option>' in html


def test_the_picker_refuses_an_unknown_company_and_a_bad_value():
    for value in ("999999", "abc"):
        form = PickerForm({"company": value})
        assert not form.is_valid()
        assert form.errors["company"] == ["Vælg en virksomhed fra listen."]
        assert str(form["company"]).count("<option") == 1


def test_the_picker_offers_suggestions_once_and_marks_the_chosen_one():
    first, second = make_company(name="Første"), make_company(name="Anden")
    form = PickerForm({"company": str(first.pk)})
    form.fields["company"].suggest([first, second])
    html = str(form["company"])
    assert html.count("<option") == 3  # empty + the two suggestions (chosen not repeated)
    assert '<optgroup label="Forslag">' in html
    assert f'<option value="{first.pk}" selected>Første</option>' in html
    assert f"&quot;suggested&quot;: &quot;{first.pk},{second.pk}&quot;" in html
