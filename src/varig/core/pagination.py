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


def page_with_total(queryset, per_page: int, number) -> Page:
    """Like `Paginator(queryset, per_page).get_page(number)` (a bad number gives page 1, one
    past the end the last page), in one query whenever the page has rows."""
    paginator = Paginator(queryset, per_page)
    try:
        wanted = int(number) if number not in (None, "") else 1
    except (TypeError, ValueError):
        wanted = 1
    if wanted < 1:
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
