"""Sections that other apps add to the shared pages ("I dag" and a job customer's page)
without editing those pages: one place, so parallel work does not collide in one template.

An app registers a builder in its `AppConfig.ready()`::

    from varig.core.sections import PERSON, register
    register(PERSON, order=40, build=activities_person_section)

A builder is called with keyword arguments (`user` and `job_customer` on the person's page;
`user`, `advisor` (None: all advisors) and `day` on "I dag") and returns a `Section` or None
(nothing to show, or not allowed). It owns its queries: a bounded, small number whatever the
data size (the page budgets are tested). The page includes `section.template` with `section`
in the context, in `order`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

PERSON = "person"
TODAY = "today"


@dataclass(frozen=True)
class Section:
    template: str
    data: dict = field(default_factory=dict)


_REGISTRY: dict[str, list[tuple[int, str, Callable]]] = {PERSON: [], TODAY: []}


def register(page: str, *, order: int, build: Callable[..., Section | None]) -> None:
    key = f"{build.__module__}.{build.__qualname__}"
    entries = _REGISTRY[page]
    if all(existing != key for _, existing, _ in entries):  # ready() may run twice in tests
        entries.append((order, key, build))
        entries.sort(key=lambda entry: (entry[0], entry[1]))


def sections_for(page: str, **kwargs) -> list[Section]:
    """Every registered section of `page` that has something to show, in order."""
    built = (build(**kwargs) for _, _, build in _REGISTRY[page])
    return [section for section in built if section is not None]
