import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from varig.core import refs
from varig.customers.models import JobCustomer
from varig.customers.tests.factories import make_job_customer
from varig.employers.models import Company
from varig.employers.tests.factories import make_company

pytestmark = pytest.mark.django_db


def test_the_first_reference_is_number_one():
    assert refs.next_ref(Company, prefix="VIRK-", digits=5) == "VIRK-00001"


def test_the_next_reference_is_one_above_the_highest_number_ignoring_other_shapes():
    for ref in ("JK-000009", "JK-000010", "JK-000002", "OLD-99", "JK-12x", "jk-000500"):
        make_job_customer(ref=ref)
    assert refs.next_ref(JobCustomer, prefix="JK-", digits=6) == "JK-000011"


def test_a_number_longer_than_the_padding_counts_as_higher():
    make_job_customer(ref="JK-999999")
    make_job_customer(ref="JK-1000000")
    assert refs.next_ref(JobCustomer, prefix="JK-", digits=6) == "JK-1000001"


def test_a_prefix_must_be_letters_ending_in_a_dash():
    with pytest.raises(ValueError):
        refs.next_ref(Company, prefix="V.*", digits=5)


def test_a_blank_reference_is_generated_and_a_clash_moves_on_to_the_next(monkeypatch):
    make_company(ref="VIRK-00001")
    # Another save takes the number this one chose, as at the same moment.
    answers = iter(["VIRK-00001", "VIRK-00002"])
    monkeypatch.setattr(refs, "next_ref", lambda *args, **kwargs: next(answers))
    company = Company(name="Ny ApS", ref="")
    refs.save_with_unique_ref(company, prefix="VIRK-", digits=5, generate=True)
    assert Company.objects.get(pk=company.pk).ref == "VIRK-00002"


def test_a_typed_reference_is_kept_and_a_clash_is_not_retried():
    make_company(ref="EGEN-1")
    company = Company(name="Ny ApS", ref="EGEN-1")
    with pytest.raises(IntegrityError):
        refs.save_with_unique_ref(company, prefix="VIRK-", digits=5, generate=False)
    assert Company.objects.filter(name="Ny ApS").count() == 0


def test_the_conflict_hook_may_name_the_clash():
    make_company(ref="EGEN-1")

    def name_it():
        raise ValidationError({"ref": ["taken"]})

    with pytest.raises(ValidationError):
        refs.save_with_unique_ref(
            Company(name="Ny ApS", ref="EGEN-1"),
            prefix="VIRK-",
            digits=5,
            generate=False,
            on_conflict=name_it,
        )


def test_it_gives_up_after_a_few_clashes(monkeypatch):
    make_company(ref="VIRK-00001")
    monkeypatch.setattr(refs, "next_ref", lambda *args, **kwargs: "VIRK-00001")
    with pytest.raises(IntegrityError):
        refs.save_with_unique_ref(
            Company(name="Ny ApS", ref=""), prefix="VIRK-", digits=5, generate=True
        )
