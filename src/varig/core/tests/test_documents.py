import pytest

from varig.core.documents import pdf_response, render_pdf
from varig.core.tests.pdf import pdf_text

SAMPLE = (
    '{% extends "core/pdf/base.html" %}'
    "{% block title %}Velkommen{% endblock %}"
    "{% block content %}<h1>Velkommen, {{ name }}</h1><p>Æbler, øl og ål.</p>"
    '<img src="https://example.com/tracker.png">{% endblock %}'
)


@pytest.fixture
def sample_template(settings):
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "APP_DIRS": False,
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "loaders": [
                    ("django.template.loaders.locmem.Loader", {"sample.html": SAMPLE}),
                    "django.template.loaders.app_directories.Loader",
                ],
            },
        }
    ]
    return "sample.html"


def test_render_pdf_carries_the_organisation_and_danish_letters(sample_template, settings):
    """The PDF is real, has the organisation's name and renders Æ, Ø and Å."""
    settings.VARIG_ORGANISATION_NAME = "Jobbanken"
    content = render_pdf(sample_template, {"name": "Åse"})
    text = pdf_text(content)
    assert "Jobbanken" in text
    assert "Velkommen, Åse" in text
    assert "Æbler, øl og ål." in text


def test_render_pdf_never_fetches_from_the_network(sample_template, caplog):
    """A remote image is refused before any request (the PDF still renders without it)."""
    with caplog.at_level("WARNING", logger="weasyprint"):
        content = render_pdf(sample_template, {"name": "x"})
    assert content.startswith(b"%PDF-")
    assert "disallowed protocol: https://example.com/tracker.png" in caplog.text


def test_render_pdf_includes_a_configured_logo(sample_template, settings, tmp_path):
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (40, 20), "teal").save(logo)
    settings.VARIG_ORGANISATION_LOGO = str(logo)
    content = render_pdf(sample_template, {"name": "x"})
    assert b"/Image" in content


def test_pdf_response_is_a_private_download():
    response = pdf_response(b"%PDF-1.7", filename="velkomst.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="velkomst.pdf"'
    assert "no-store" in response["Cache-Control"]
