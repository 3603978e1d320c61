import datetime

import pytest
from django.core.exceptions import ValidationError

from varig.core.services import STALE_EDIT
from varig.employers import services
from varig.employers.models import Company, CompanyContact, CompanyNote
from varig.employers.services import (
    CONTACT_END_BEFORE_START,
    CONTACT_END_REQUIRED,
    CONTACT_NAME_REQUIRED,
    CVR_INVALID,
    CVR_TAKEN,
    EMPLOYEES_NEGATIVE,
    NAME_REQUIRED,
    NOTE_EMPTY,
    POSTCODE_INVALID,
    REF_TAKEN,
)
from varig.employers.tests.factories import make_company, make_contact

pytestmark = pytest.mark.django_db

VALID_CVR = "13585628"  # the example from python-stdnum: valid check digit
VALID_CVR_2 = "10150817"
WRONG_CHECK_DIGIT = "13585627"


def messages(exc: ValidationError, field: str) -> list[str]:
    return exc.value.message_dict[field]


# company_create -------------------------------------------------------------------------


def test_company_create_saves_every_field_and_generates_a_ref():
    company = services.company_create(
        name="  Bageriet Brød & Co ApS ",
        cvr=VALID_CVR,
        industry="Bageri",
        address="Østergade 4",
        postcode="8000",
        city="Aarhus C",
        employees=12,
        offered_jobs="Opvask, pakning",
        strengths="Rolig morgenvagt",
        notes="Ejeren tager gerne praktikanter",
    )
    company.refresh_from_db()
    assert company.name == "Bageriet Brød & Co ApS"
    assert company.cvr == VALID_CVR
    assert (company.industry, company.address, company.postcode, company.city) == (
        "Bageri",
        "Østergade 4",
        "8000",
        "Aarhus C",
    )
    assert company.employees == 12
    assert company.offered_jobs == "Opvask, pakning"
    assert company.strengths == "Rolig morgenvagt"
    assert company.notes == "Ejeren tager gerne praktikanter"
    assert company.ref == "VIRK-00001"
    assert company.version == 1


def test_generated_refs_count_up_and_skip_taken_numbers():
    make_company(ref="VIRK-00007")
    first = services.company_create(name="A")
    second = services.company_create(name="B")
    assert first.ref == "VIRK-00008"
    assert second.ref == "VIRK-00009"


def test_generated_ref_follows_the_highest_number_not_the_text_order():
    make_company(ref="VIRK-123456")
    make_company(ref="VIRK-99999")
    assert services.company_create(name="A").ref == "VIRK-123457"


def test_a_given_ref_is_kept():
    assert services.company_create(name="A", ref="IMPORT-17").ref == "IMPORT-17"


def test_a_taken_ref_is_refused_naming_the_company():
    make_company(ref="IMPORT-17", name="Første ApS")
    with pytest.raises(ValidationError) as exc:
        services.company_create(name="A", ref="IMPORT-17")
    assert messages(exc, "ref") == [REF_TAKEN % {"name": "Første ApS"}]
    assert Company.objects.count() == 1


def test_cvr_is_optional():
    company = services.company_create(name="Uden CVR")
    assert company.cvr == ""
    # Several companies without a CVR do not collide.
    assert services.company_create(name="Også uden").cvr == ""


@pytest.mark.parametrize(
    "typed", ["13 58 56 28", " 13585628 ", "DK13585628", "DK 13 58 56 28", "13-58-56-28"]
)
def test_cvr_is_stored_compact(typed):
    assert services.company_create(name="A", cvr=typed).cvr == VALID_CVR


@pytest.mark.parametrize(
    "bad",
    [
        WRONG_CHECK_DIGIT,  # wrong check digit
        "1358562",  # 7 digits
        "135856280",  # 9 digits
        "1358562X",  # not digits
        "03585628",  # starts with 0
        "abcdefgh",
    ],
)
def test_invalid_cvr_is_refused_and_nothing_is_saved(bad):
    with pytest.raises(ValidationError) as exc:
        services.company_create(name="A", cvr=bad)
    assert messages(exc, "cvr") == [CVR_INVALID]
    assert not Company.objects.exists()


def test_duplicate_cvr_is_refused_naming_the_existing_company():
    make_company(name="Cykelsmeden ApS", cvr=VALID_CVR)
    with pytest.raises(ValidationError) as exc:
        services.company_create(name="Ny", cvr="13 58 56 28")
    assert messages(exc, "cvr") == [CVR_TAKEN % {"name": "Cykelsmeden ApS"}]
    assert Company.objects.count() == 1


def test_name_is_required():
    with pytest.raises(ValidationError) as exc:
        services.company_create(name="   ")
    assert messages(exc, "name") == [NAME_REQUIRED]
    assert not Company.objects.exists()


@pytest.mark.parametrize("bad", ["800", "80000", "8OOO", "DK-8"])
def test_postcode_must_have_four_digits(bad):
    with pytest.raises(ValidationError) as exc:
        services.company_create(name="A", postcode=bad)
    assert messages(exc, "postcode") == [POSTCODE_INVALID]
    assert not Company.objects.exists()


def test_employees_cannot_be_negative_but_zero_is_fine():
    with pytest.raises(ValidationError) as exc:
        services.company_create(name="A", employees=-1)
    assert messages(exc, "employees") == [EMPLOYEES_NEGATIVE]
    assert services.company_create(name="A", employees=0).employees == 0


def test_all_problems_are_reported_at_once():
    with pytest.raises(ValidationError) as exc:
        services.company_create(name="", cvr=WRONG_CHECK_DIGIT, postcode="12", employees=-3)
    assert set(exc.value.message_dict) == {"name", "cvr", "postcode", "employees"}


# company_update -------------------------------------------------------------------------


def test_company_update_saves_and_bumps_the_version():
    company = make_company(name="Gammelt navn", cvr=VALID_CVR)
    updated = services.company_update(
        company=company,
        expected_version=1,
        name="Nyt navn",
        cvr=VALID_CVR,
        postcode="5000",
        city="Odense C",
        employees=3,
    )
    company.refresh_from_db()
    assert updated.pk == company.pk
    assert (company.name, company.postcode, company.city, company.employees) == (
        "Nyt navn",
        "5000",
        "Odense C",
        3,
    )
    assert company.version == 2


def test_company_update_keeps_its_own_cvr_without_calling_it_taken():
    company = make_company(cvr=VALID_CVR)
    services.company_update(company=company, expected_version=1, name="X", cvr="13 58 56 28")
    company.refresh_from_db()
    assert company.cvr == VALID_CVR


def test_company_update_refuses_another_companys_cvr():
    make_company(name="Ejeren ApS", cvr=VALID_CVR)
    company = make_company(name="Anden", cvr=VALID_CVR_2)
    with pytest.raises(ValidationError) as exc:
        services.company_update(company=company, expected_version=1, name="Anden", cvr=VALID_CVR)
    assert messages(exc, "cvr") == [CVR_TAKEN % {"name": "Ejeren ApS"}]
    company.refresh_from_db()
    assert company.cvr == VALID_CVR_2
    assert company.version == 1


def test_company_update_blank_ref_keeps_the_current_ref():
    company = make_company(ref="VIRK-00042")
    services.company_update(company=company, expected_version=1, name="X", ref="")
    company.refresh_from_db()
    assert company.ref == "VIRK-00042"


def test_company_update_can_change_the_ref_but_not_to_a_taken_one():
    make_company(ref="TAKEN", name="Optaget ApS")
    company = make_company(ref="OLD")
    with pytest.raises(ValidationError) as exc:
        services.company_update(company=company, expected_version=1, name="X", ref="TAKEN")
    assert messages(exc, "ref") == [REF_TAKEN % {"name": "Optaget ApS"}]
    services.company_update(company=company, expected_version=1, name="X", ref="NEW")
    company.refresh_from_db()
    assert company.ref == "NEW"


def test_stale_edit_is_refused_and_nothing_changes():
    company = make_company(name="Original")
    services.company_update(company=company, expected_version=1, name="Første gem")
    with pytest.raises(ValidationError) as exc:
        services.company_update(company=company, expected_version=1, name="Andet gem")
    # The refusal, then what changed in the meantime (issue 7: no lost updates).
    assert exc.value.messages[0] == str(STALE_EDIT)
    assert exc.value.messages[1].startswith("Navn: ")
    assert "»Første gem«" in exc.value.messages[1] and "»Andet gem«" in exc.value.messages[1]
    company.refresh_from_db()
    assert company.name == "Første gem"
    assert company.version == 2


def test_company_update_ignores_changes_a_form_made_to_the_instance():
    company = make_company(ref="KEEP")
    company.ref = ""  # a model form writes cleaned data onto the instance it was given
    services.company_update(company=company, expected_version=1, name="X")
    company.refresh_from_db()
    assert company.ref == "KEEP"


def test_company_update_invalid_input_changes_nothing():
    company = make_company(name="Uændret", postcode="8000")
    with pytest.raises(ValidationError):
        services.company_update(
            company=company, expected_version=1, name="Nyt", postcode="80", cvr=WRONG_CHECK_DIGIT
        )
    company.refresh_from_db()
    assert (company.name, company.postcode, company.version) == ("Uændret", "8000", 1)


# contacts ---------------------------------------------------------------------------------


def test_contact_create_saves_every_field():
    company = make_company()
    contact = services.contact_create(
        company=company,
        name=" Mette Mentor ",
        role="Butikschef",
        phone="12 34 56 78",
        email="mette@example.dk",
        is_mentor=True,
        active_from=datetime.date(2024, 3, 1),
    )
    contact.refresh_from_db()
    assert contact.company == company
    assert (contact.name, contact.role, contact.phone, contact.email) == (
        "Mette Mentor",
        "Butikschef",
        "12 34 56 78",
        "mette@example.dk",
    )
    assert contact.is_mentor is True
    assert contact.active_from == datetime.date(2024, 3, 1)
    assert contact.active_until is None


def test_contact_needs_a_name():
    with pytest.raises(ValidationError) as exc:
        services.contact_create(company=make_company(), name=" ")
    assert messages(exc, "name") == [CONTACT_NAME_REQUIRED]
    assert not CompanyContact.objects.exists()


def test_contact_with_end_before_start_is_refused():
    with pytest.raises(ValidationError) as exc:
        services.contact_create(
            company=make_company(),
            name="A",
            active_from=datetime.date(2025, 5, 2),
            active_until=datetime.date(2025, 5, 1),
        )
    assert messages(exc, "active_until") == [CONTACT_END_BEFORE_START]
    assert not CompanyContact.objects.exists()


def test_contact_may_start_and_end_on_the_same_day():
    day = datetime.date(2025, 5, 2)
    contact = services.contact_create(
        company=make_company(), name="A", active_from=day, active_until=day
    )
    assert contact.active_until == day


def test_contact_with_invalid_email_is_refused():
    with pytest.raises(ValidationError) as exc:
        services.contact_create(company=make_company(), name="A", email="ikke-en-adresse")
    assert "email" in exc.value.message_dict
    assert not CompanyContact.objects.exists()


def test_contact_update_saves_every_field():
    contact = make_contact(name="Før", role="Kok")
    services.contact_update(
        contact=contact,
        name="Efter",
        role="Køkkenchef",
        phone="87654321",
        email="efter@example.dk",
        is_mentor=True,
        active_from=datetime.date(2023, 1, 1),
        active_until=None,
    )
    contact.refresh_from_db()
    assert (contact.name, contact.role, contact.phone, contact.email, contact.is_mentor) == (
        "Efter",
        "Køkkenchef",
        "87654321",
        "efter@example.dk",
        True,
    )


def test_contact_update_with_end_before_start_changes_nothing():
    contact = make_contact(name="Uændret", active_from=datetime.date(2024, 1, 10))
    with pytest.raises(ValidationError) as exc:
        services.contact_update(
            contact=contact,
            name="Ændret",
            active_from=datetime.date(2024, 1, 10),
            active_until=datetime.date(2024, 1, 9),
        )
    assert messages(exc, "active_until") == [CONTACT_END_BEFORE_START]
    contact.refresh_from_db()
    assert contact.name == "Uændret"
    assert contact.active_until is None


def test_contact_end_sets_the_last_day():
    contact = make_contact(active_from=datetime.date(2024, 1, 1))
    services.contact_end(contact=contact, active_until=datetime.date(2025, 6, 30))
    contact.refresh_from_db()
    assert contact.active_until == datetime.date(2025, 6, 30)
    assert not contact.is_active


def test_contact_end_on_the_start_day_is_allowed():
    contact = make_contact(active_from=datetime.date(2024, 1, 1))
    services.contact_end(contact=contact, active_until=datetime.date(2024, 1, 1))
    contact.refresh_from_db()
    assert contact.active_until == datetime.date(2024, 1, 1)


def test_contact_end_before_start_is_refused_and_nothing_changes():
    contact = make_contact(active_from=datetime.date(2024, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.contact_end(contact=contact, active_until=datetime.date(2023, 12, 31))
    assert messages(exc, "active_until") == [CONTACT_END_BEFORE_START]
    contact.refresh_from_db()
    assert contact.active_until is None


def test_contact_end_needs_a_date():
    contact = make_contact()
    with pytest.raises(ValidationError) as exc:
        services.contact_end(contact=contact, active_until=None)
    assert messages(exc, "active_until") == [CONTACT_END_REQUIRED]


def test_contact_end_without_a_start_date_accepts_any_day():
    contact = make_contact()
    services.contact_end(contact=contact, active_until=datetime.date(2020, 1, 1))
    contact.refresh_from_db()
    assert contact.active_until == datetime.date(2020, 1, 1)


# notes -------------------------------------------------------------------------------------


def test_company_note_create_saves_text_and_author(advisor):
    company = make_company()
    note = services.company_note_create(company=company, author=advisor, text="  Ny ejer.  ")
    note.refresh_from_db()
    assert (note.company, note.author, note.text) == (company, advisor, "Ny ejer.")


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty_note_is_refused(advisor, text):
    with pytest.raises(ValidationError) as exc:
        services.company_note_create(company=make_company(), author=advisor, text=text)
    assert messages(exc, "text") == [NOTE_EMPTY]
    assert not CompanyNote.objects.exists()
