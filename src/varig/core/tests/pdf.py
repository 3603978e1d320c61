"""Read generated documents back as text, so tests check what a reader would see."""

import io


def pdf_text(content: bytes) -> str:
    """All text of a PDF, page by page (pypdf), with whitespace runs collapsed to one space."""
    from pypdf import PdfReader

    assert content.startswith(b"%PDF-"), "not a PDF"
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def pdf_page_count(content: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)
