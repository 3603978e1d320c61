import itertools

from varig.employers.models import Company, CompanyContact

_seq = itertools.count(1)


def make_company(**fields) -> Company:
    n = next(_seq)
    fields.setdefault("ref", f"VIRK-T{n:05d}")
    fields.setdefault("name", f"Testvirksomhed {n} ApS")
    return Company.objects.create(**fields)


def make_contact(*, company: Company | None = None, **fields) -> CompanyContact:
    n = next(_seq)
    fields.setdefault("name", f"Kontakt {n}")
    return CompanyContact.objects.create(company=company or make_company(), **fields)
