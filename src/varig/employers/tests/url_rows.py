"""Rows of the URL x role matrix for the employer collaboration pages of issue 5 (contract
drafts, accommodation guides, support requests, matching). See core/tests/url_table.py."""

from varig.core.tests.url_table import GET_ONLY, PLACEMENT_PAGE, Row, obj

ROWS = {
    # Contract drafts of a placement: whoever may see the person's placement.
    "employers:contract": Row(
        get=PLACEMENT_PAGE, post=GET_ONLY, kwargs=obj("placement"), scoped=True
    ),
    "employers:contract_docx": Row(
        get=PLACEMENT_PAGE, post=GET_ONLY, kwargs=obj("placement"), scoped=True
    ),
    "employers:contract_pdf": Row(
        get=PLACEMENT_PAGE, post=GET_ONLY, kwargs=obj("placement"), scoped=True
    ),
    # The accommodation guide: the world's consents cover the company.
    "employers:guide": Row(get=PLACEMENT_PAGE, post=GET_ONLY, kwargs=obj("placement"), scoped=True),
}
