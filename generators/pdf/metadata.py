"""Document metadata a reader and a screen reader need: language, page order, XMP.

The XMP packet says what the Info dictionary says (title, author, subject, dates,
creator, producer) and the language, so that tools reading either agree. Dates come
from the document's fixed timestamp, never the clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

_PDF_DATE = re.compile(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)([+-]\d\d)'(\d\d)'")


@dataclass(frozen=True)
class Info:
    """The Info dictionary's entries, as the XMP packet repeats them."""

    title: str
    author: str
    subject: str
    creator: str
    producer: str
    date: str  # a PDF date: D:20261129000000+00'00'
    lang: str  # BCP 47: ar, fr


def iso_date(pdf_date: str) -> str:
    """A PDF date as XMP writes it: D:20261129000000+00'00' -> 2026-11-29T00:00:00+00:00."""
    found = _PDF_DATE.fullmatch(pdf_date)
    if found is None:
        raise ValueError(f"not a PDF date: {pdf_date!r}")
    y, mo, d, h, mi, s, tz_h, tz_m = found.groups()
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}{tz_h}:{tz_m}"


def xmp_packet(info: Info) -> bytes:
    """An XMP metadata packet (uncompressed UTF-8) agreeing with the Info dictionary."""
    when = iso_date(info.date)

    def alt(text: str) -> str:
        return (f'<rdf:Alt><rdf:li xml:lang="x-default">{escape(text)}</rdf:li>'
                "</rdf:Alt>")

    body = "\n".join((
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>',
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
        '<rdf:Description rdf:about=""',
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"',
        ' xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
        ' xmlns:pdf="http://ns.adobe.com/pdf/1.3/">',
        "<dc:format>application/pdf</dc:format>",
        f"<dc:title>{alt(info.title)}</dc:title>",
        f"<dc:creator><rdf:Seq><rdf:li>{escape(info.author)}</rdf:li></rdf:Seq></dc:creator>",
        f"<dc:description>{alt(info.subject)}</dc:description>",
        f"<dc:language><rdf:Bag><rdf:li>{escape(info.lang)}</rdf:li></rdf:Bag></dc:language>",
        f"<xmp:CreateDate>{when}</xmp:CreateDate>",
        f"<xmp:ModifyDate>{when}</xmp:ModifyDate>",
        f"<xmp:MetadataDate>{when}</xmp:MetadataDate>",
        f"<xmp:CreatorTool>{escape(info.creator)}</xmp:CreatorTool>",
        f"<pdf:Producer>{escape(info.producer)}</pdf:Producer>",
        "</rdf:Description>",
        "</rdf:RDF>",
        "</x:xmpmeta>",
        '<?xpacket end="w"?>',
    ))
    return body.encode("utf-8")
