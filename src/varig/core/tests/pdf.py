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


def docx_text(content: bytes) -> str:
    """All text of a DOCX (python-docx): paragraphs, then table cells, whitespace collapsed."""
    from docx import Document

    assert content.startswith(b"PK"), "not a DOCX"
    document = Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    parts.extend(p.text for p in document.sections[0].header.paragraphs)
    return " ".join(" ".join(parts).split())
