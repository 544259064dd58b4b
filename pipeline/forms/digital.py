"""Digital PDFs of a form: the template's page drawn as vectors (corner marks, boxes) with
every number typed into its digit boxes as text, as an office's tally application exports
it. Hand-written PDF (base-14 Helvetica, no dates): the same values give the same bytes.
"""

from __future__ import annotations

from .templates import Template


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _page_stream(template: Template, number: int, values: dict[str, int | None],
                 title: str) -> bytes:
    width, height = template.page_size
    page = template.page(number)
    mark = float(template.data.get("mark_size", 16.0))
    ops = ["0 g 0 G"]
    for cx, cy in page.marks.values():
        ops.append(f"{cx - mark / 2:.2f} {height - cy - mark / 2:.2f} {mark:.2f} {mark:.2f} re f")
    ops.append(f"BT /F1 11 Tf 60 {height - 50:.2f} Td ({_escape(title)}) Tj ET")
    ops.append(f"BT /F1 10 Tf {width * 0.72:.2f} {height - 50:.2f} Td "
               f"({_escape(f'Halaman {number} - {page.code}')}) Tj ET")
    ops.append("1.5 w")
    for name, spec in page.fields.items():
        x, y, w, h = spec.boxes[0]
        ops.append(f"BT /F1 7 Tf {x:.2f} {height - y + 4:.2f} Td ({_escape(name)}) Tj ET")
        value = values.get(name)
        text = "" if value is None else str(value)
        digits = [""] * (len(spec.boxes) - len(text)) + list(text)
        for (bx, by, bw, bh), digit in zip(spec.boxes, digits, strict=True):
            ops.append(f"{bx:.2f} {height - by - bh:.2f} {bw:.2f} {bh:.2f} re S")
            if digit:
                size = bh * 0.6
                ops.append(f"BT /F1 {size:.2f} Tf {bx + bw / 2 - size * 0.28:.2f} "
                           f"{height - by - bh / 2 - size * 0.35:.2f} Td ({digit}) Tj ET")
        for column in spec.bubbles:
            r = spec.bubble_radius
            for cx, cy in column:  # a bubble as a square-ish outline is enough for layout
                ops.append(f"{cx - r:.2f} {height - cy - r:.2f} {2 * r:.2f} {2 * r:.2f} re S")
    return "\n".join(ops).encode("latin-1")


def digital_pdf(template: Template, values: dict[str, int | None]) -> bytes:
    """All pages of the form with these numbers typed in."""
    width, height = template.page_size
    objects: list[bytes] = []
    page_ids = []
    font_id = 3
    objects.append(b"")  # 1: catalog, filled below
    objects.append(b"")  # 2: pages
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for page in template.pages:
        stream = _page_stream(template, page.number, values, template.title.upper())
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream
                       + b"\nendstream")
        content_id = len(objects)
        objects.append((f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] "
                        f"/Resources << /Font << /F1 {font_id} 0 R >> >> "
                        f"/Contents {content_id} 0 R >>").encode())
        page_ids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    kids = " ".join(f"{i} 0 R" for i in page_ids)
    objects[1] = f"<< /Type /Pages /Kids [{kids}] /Count {len(page_ids)} >>".encode()
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for index, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % index + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += (b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, xref))
    return bytes(out)
