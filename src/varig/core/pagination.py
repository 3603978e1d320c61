"""A page and its total in one query, for the small per-person lists (notes, sessions).

`Paginator.get_page` asks twice: COUNT(*) for the number of pages, then the page's rows.
`page_with_total` asks once, with the total as a window over the whole filtered set
(COUNT(*) OVER ()) beside each row of the page. Meant for lists of one person (hundreds of
rows); a list over the whole country keeps Paginator, where the database can stop at the page's
last row instead of counting every row beside it.
"""

from django.core.paginator import Page, Paginator
from django.db.models import Count, Window

TOTAL = "_page_total"
# A page number past any list of one person (a link with ?page=99999999999999999999 must not
# reach the database as an OFFSET out of its integer range): Paginator decides, as past the end.
MAX_PAGE = 1_000_000


def page_with_total(queryset, per_page: int, number) -> Page:
    """Like `Paginator(queryset, per_page).get_page(number)` (a bad number gives page 1, one
    past the end the last page), in one query whenever the page has rows."""
    paginator = Paginator(queryset, per_page)
    try:
        wanted = int(number) if number not in (None, "") else 1
    except (TypeError, ValueError):
        wanted = 1
    if wanted < 1 or wanted > MAX_PAGE:
        return paginator.get_page(number)
    bottom = (wanted - 1) * per_page
    rows = list(queryset.annotate(**{TOTAL: Window(Count("pk"))})[bottom : bottom + per_page])
    if not rows:
        if wanted == 1:
            paginator.count = 0
            return Page([], 1, paginator)
        return paginator.get_page(wanted)  # past the end: the usual two queries
    paginator.count = getattr(rows[0], TOTAL)
    return Page(rows, wanted, paginator)


class EitherEndPaginator(Paginator):
    """A Paginator that reads a page in the second half of a long list from its end: the same
    rows with the ordering reversed and a small offset, put back in order. OFFSET costs a walk
    over every row before it, so the last page of 100,000 job customers costs what the first
    does (issue 9). The queryset must be totally ordered (a unique field last, e.g. pk)."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        queryset = self.object_list
        if bottom * 2 <= self.count or not getattr(queryset, "ordered", False):
            return self._get_page(queryset[bottom:top], number, self)
        rows = list(queryset.reverse()[self.count - top : self.count - bottom])
        rows.reverse()
        return self._get_page(rows, number, self)
