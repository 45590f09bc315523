"""Sample documents shared by the writer tests: every block type, Arabic and French."""

from __future__ import annotations

from datetime import datetime, timezone

from course.document import (
    AnswerGrid,
    AnswerRow,
    BulletList,
    Callout,
    Cover,
    Document,
    Emph,
    Heading,
    Meta,
    Option,
    OrderedList,
    PageBreak,
    Paragraph,
    QuestionBlock,
    Slide,
    Strong,
    Table,
    TableOfContents,
    Text,
)

# Sentences with the known traps: numbers beside punctuation, parentheses, Latin words.
AR_NUMBERS = "عززت الإصلاحات التي عرفتها اللامركزية سنة 2015، الاستقلال الذاتي المحلي."
AR_PARENS = "الخطاب الملكي حول المفهوم الجديد للسلطة (1999) يؤطر تجربة الانفتاح."
AR_THOUSANDS = "تقطن المنطقة 145.000 نسمة على مساحة 20 كم²."
AR_LATIN = "تحدث مدير من مدينة Aix-en-Provence عن شراكة مع مركز DCAF في جنيف."
AR_BOLD = "الشرطة جزء من المجتمع"
AR_LONG = (
    "وتكمن الركيزة الثانية في أن هذا النوع من الشرطة يسعى إلى حل المشكلات، من حيث تحديد "
    "وتحليل الأسباب المحتملة للجريمة والصراع في المجتمع. كما أن شرطة القرب لا تتفاعل فقط مع "
    "المشكلات بعد حدوثها أو بعد الإبلاغ عنها، كما أنها لا تنتظر تفاقمها. فمن خلال المراقبة، "
    "تحاول تحديد وتحليل حالة انعدام الأمن بشكل مستمر، وتحديد المشاكل في الوقت المناسب "
    "واستباقها قدر الإمكان."
)

SENTENCES = (AR_NUMBERS, AR_PARENS, AR_THOUSANDS, AR_LATIN, AR_LONG)


def t(text: str) -> tuple[Text]:
    """One plain inline."""
    return (Text(text),)


def sample_meta(lang: str = "ar") -> Meta:
    """Metadata with a fixed timestamp."""
    if lang == "ar":
        return Meta(
            course="الشرطة المجتمعية والحكامة الأمنية المحلية",
            module="الركائز الخمس للشرطة المجتمعية",
            organisation="مركز دراسات حقوق الإنسان والديمقراطية",
            version="1.0",
            date="2026-11-29",
            header="الشرطة المجتمعية والحكامة الأمنية المحلية",
            footer="الركائز الخمس للشرطة المجتمعية",
            page_label="صفحة {page} من {pages}",
            timestamp=datetime(2026, 11, 29, tzinfo=timezone.utc),
            title_lines=("الإصدار 1.0", "2026-11-29"),
        )
    return Meta(
        course="Police de proximité et gouvernance locale de la sécurité",
        module="Les cinq piliers de la police communautaire",
        organisation="Centre d'études des droits de l'homme et de la démocratie",
        version="1.0",
        date="2026-11-29",
        header="Police de proximité",
        footer="Les cinq piliers",
        page_label="Page {page} sur {pages}",
        timestamp=datetime(2026, 11, 29, tzinfo=timezone.utc),
        title_lines=("Version 1.0", "2026-11-29"),
    )


def arabic_document(kind: str = "handout") -> Document:
    """An Arabic document using every block type, long enough to span pages."""
    long_paragraphs = tuple(Paragraph(t(AR_LONG)) for _ in range(12))
    blocks = (
        Cover(t("الشرطة المجتمعية"), (t("الإصدار 1.0"), t("2026-11-29"))),
        TableOfContents(t("المحتويات")),
        Heading(1, t("الركائز الخمس للشرطة المجتمعية"), anchor="pillars"),
        Paragraph(t(AR_NUMBERS)),
        Paragraph(t(AR_PARENS)),
        Paragraph(t(AR_THOUSANDS)),
        Paragraph(t(AR_LATIN)),
        Paragraph((Text("تعني الركيزة الأولى أن "), Strong(t(AR_BOLD)), Text(" لا في مواجهته."))),
        Paragraph((Text("وهي "), Emph(t("فلسفة ومنهجية عمل")), Text("."))),
        Heading(2, t("الأهداف"), anchor="objectives"),
        BulletList(((Paragraph(t("التوجه الخارجي")),), (Paragraph(t("حل المشكلات")),))),
        OrderedList(((Paragraph(t("التعليل")),), (Paragraph(t("الشراكة")),)), "decimal"),
        OrderedList(((Paragraph(t("التمكين")),), (Paragraph(t("الوقاية")),)), "abjad"),
        Table(
            header=(t("الركيزة"), t("معناها")),
            rows=((t("التوجه الخارجي"), t("الشرطة جزء من المجتمع")),
                  (t("الشراكة"), t("سنة 2015، تعززت الشراكات"))),
            widths=(1.0, 2.0),
        ),
        Callout("case", t("دراسة حالة"), (Paragraph(t(AR_PARENS)),)),
        Heading(2, t("نص طويل"), anchor="long"),
        *long_paragraphs,
        PageBreak(),
        Slide(1, t("لماذا شرطة القرب؟"), (t("القرب"), t("الوقاية")), (t(AR_NUMBERS),),
              notes_label=t("ملاحظات المدرب")),
        QuestionBlock(
            1,
            t("ما الركيزة التي تعني أن الشرطة جزء من المجتمع لا في مواجهته؟"),
            t("نقطتان · اختر إجابة واحدة"),
            options=(Option("أ", t("التوجه الخارجي")), Option("ب", t("حل المشكلات")),
                     Option("ج", t("التمكين")), Option("د", t("الشراكة"))),
        ),
        QuestionBlock(2, t("اذكر ركيزتين من ركائز الشرطة المجتمعية."), t("نقطة واحدة"),
                      answer_lines=3),
        AnswerGrid((AnswerRow(1, ("أ", "ب", "ج", "د")),
                    AnswerRow(2, ("أ", "ب", "ج"), t("عدة إجابات")))),
    )
    return Document(kind=kind, lang="ar", direction="rtl", title="الركائز الخمس للشرطة المجتمعية",
                    meta=sample_meta("ar"), blocks=blocks)


def french_document(kind: str = "handout") -> Document:
    """A short French document, laid out left to right."""
    blocks = (
        Heading(1, t("Les cinq piliers"), anchor="piliers"),
        Paragraph((Text("La police fait "), Strong(t("partie de la société")), Text("."))),
        BulletList(((Paragraph(t("Orientation externe")),), (Paragraph(t("Partenariat")),))),
        Table(header=(t("Pilier"), t("Sens")), rows=((t("Partenariat"), t("Coproduction")),)),
        QuestionBlock(1, t("Quel pilier ?"), t("2 points · une seule réponse"),
                      options=(Option("a", t("Orientation externe")), Option("b", t("Autre")))),
    )
    return Document(kind=kind, lang="fr", direction="ltr", title="Les cinq piliers",
                    meta=sample_meta("fr"), blocks=blocks)
