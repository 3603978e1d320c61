from varig.core import sections
from varig.core.sections import PERSON, Section, register, sections_for


def _first(**kwargs):
    return Section(template="first.html", data=kwargs)


def _second(**kwargs):
    return Section(template="second.html")


def _nothing(**kwargs):
    return None


def test_sections_come_in_order_without_the_empty_ones_and_once_each(monkeypatch):
    monkeypatch.setitem(sections._REGISTRY, PERSON, [])
    register(PERSON, order=20, build=_second)
    register(PERSON, order=10, build=_first)
    register(PERSON, order=15, build=_nothing)
    register(PERSON, order=10, build=_first)  # ready() running twice registers nothing more

    built = sections_for(PERSON, user="u", job_customer="jc")

    assert [s.template for s in built] == ["first.html", "second.html"]
    assert built[0].data == {"user": "u", "job_customer": "jc"}
