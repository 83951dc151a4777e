"""Letters per second: Krav's PDF letters against the bare ReportLab canvas, measured in the same run.

    .venv/bin/python bench/letters.py                 # one-letter documents and a batch document, vs the floor
    .venv/bin/python bench/letters.py --runs 7 --n 500
    /tmp/wp/bin/python bench/letters.py --weasyprint  # an equivalent HTML letter through WeasyPrint, if installed

Single core, one process. "single" renders one complete PDF per letter (what goes out by e-mail and is archived
with its SHA-256); "batch" renders N letters into one PDF (the daily print run). The floor draws a letter of the
same size straight on a ReportLab canvas: the same number of strings at fixed positions, no templates, no
measuring, no wrapping. Figures are medians of --runs runs, taken round-robin; the ratio is what to compare between machines
(FLOORS.md).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

A4_WIDTH, A4_HEIGHT = 595.2756, 841.8898


def _median_rate(work: Callable[[], int], runs: int) -> float:
    """Letters per second: the median over ``runs`` of (letters done / seconds)."""
    rates = []
    for _ in range(runs):
        start = time.perf_counter()
        done = work()
        rates.append(done / (time.perf_counter() - start))
    return statistics.median(rates)


# -- Krav ------------------------------------------------------------------------------------------------------------


def _letters(count: int) -> list[object]:
    from krav.domain.collection.letters import Letter, LetterLine, LetterType, Recipient, Sender
    from krav.domain.money import Money

    service = Sender(
        "Krav Inkasso AS",
        "923609016",
        "Postboks 123 Sentrum",
        "0104",
        "Oslo",
        "post@krav.example",
        "22334455",
        account="16020000000",
        iban="NO3916020000000",
        bic="DNBANOKKXXX",
    )
    creditor = Sender("Eksempel Handel AS", "974760673", "Storgata 10", "0155", "Oslo", "faktura@eksempel.example")
    letters: list[object] = []
    for i in range(count):
        lines = tuple(
            LetterLine(
                collection_id=f"C-{i}-{j}",
                invoice_number=str(100000 + 3 * i + j),
                invoice_date=date(2025, 1, 1) + timedelta(days=j),
                due_date=date(2025, 1, 15) + timedelta(days=j),
                principal=Money.of(Decimal("1234.50") + i + 100 * j),
                fee=Money.of("35.00") if j == 0 else Money.zero(),
                interest=Money.of(Decimal("12.34") + j),
                salaer=Money.zero(),
            )
            for j in range(3)
        )
        recipient = Recipient(
            str(10000 + i), f"Kari Nordmann {i}", "consumer", None, "Storgata 1", "0155", "Oslo", "NO", None
        )
        letters.append(
            Letter(
                LetterType.NOTICE,
                creditor,
                service,
                recipient,
                1,
                date(2025, 2, 10),
                date(2025, 2, 24),
                "0012344",
                "12345678903",
                lines,
                f"S-{i}",
            )
        )
    return letters


def _strings_per_letter(letter: object) -> int:
    """How many strings Krav draws for one letter (counted once, outside the timed runs)."""
    from krav.adapters.pdf import layout, render_letter

    count = 0
    original = layout.Pen.text

    def counting(self: layout.Pen, *args: object, **kwargs: object) -> None:
        nonlocal count
        count += 1
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    layout.Pen.text = counting  # type: ignore[method-assign]
    try:
        render_letter(letter)  # type: ignore[arg-type]
    finally:
        layout.Pen.text = original  # type: ignore[method-assign]
    return count


# -- the floor: a bare ReportLab canvas --------------------------------------------------------------------------------


def _floor_page(canvas: object, strings: int, i: int, one_text_object: bool) -> None:
    """One letter-sized page: ``strings`` strings of letter-like text at fixed positions, a few rules.

    The plain way draws each string with ``drawString`` (a text object and a font per string, as FLOORS.md
    measured it); ``one_text_object`` puts all of a page's text into one text object, as Krav does."""
    c = canvas
    texts = (
        f"Kari Nordmann {i}",
        "Storgata 1",
        "0155 Oslo",
        "Vi har ikke mottatt betaling for fakturaene nedenfor fra Eksempel Handel AS. Kravene er forfalt",
        "10.02.2025",
        "1 234,50",
        "35,00",
        "12,34",
        "1 281,84",
        f"{100000 + i}",
    )
    t = c.beginText() if one_text_object else None  # type: ignore[attr-defined]
    draw = t.textOut if t is not None else None
    if t is not None:
        t.setFont("Helvetica", 9)
    else:
        c.setFont("Helvetica", 9)  # type: ignore[attr-defined]
    y = 760.0
    for n in range(strings - 1):
        text = texts[n % len(texts)]
        x = 56.7 + (n % 2) * 200
        if n % 3 == 2:  # right-aligned, as amounts are
            x = 540.0 - c.stringWidth(text, "Helvetica", 9)  # type: ignore[attr-defined]
        if t is not None and draw is not None:
            t.setTextOrigin(x, y)
            draw(text)
        else:
            c.drawString(x, y, text)  # type: ignore[attr-defined]
        y = y - 8.0 if y > 68 else 760.0
    c.setLineWidth(0.5)  # type: ignore[attr-defined]
    for k in range(4):
        c.line(56.7, 300 - 20 * k, 538.6, 300 - 20 * k)  # type: ignore[attr-defined]
    if t is not None:
        t.setTextOrigin(56.7, 40)
        t.textOut("Side 1 av 1")
        c.drawText(t)  # type: ignore[attr-defined]
    else:
        c.drawString(56.7, 40, "Side 1 av 1")  # type: ignore[attr-defined]
    c.showPage()  # type: ignore[attr-defined]


def _floor_document(pages: int, strings: int, one_text_object: bool = False) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(A4_WIDTH, A4_HEIGHT), invariant=1, pageCompression=1)
    for i in range(pages):
        _floor_page(canvas, strings, i, one_text_object)
    canvas.save()
    return buffer.getvalue()


# -- WeasyPrint (optional, in its own environment) ----------------------------------------------------------------------


def _weasyprint(runs: int, n: int) -> None:
    from weasyprint import HTML  # type: ignore[import-not-found]

    rows = "".join(
        f"<tr><td>{100000 + j}</td><td>0{j + 1}.01.2025</td><td>{15 + j}.01.2025</td><td class=r>1 234,50</td>"
        f"<td class=r>35,00</td><td class=r>12,34</td><td class=r>1 281,84</td></tr>"
        for j in range(3)
    )
    html = f"""<html><head><style>@page {{ size: A4; margin: 20mm }}
    body {{ font-family: Helvetica, sans-serif; font-size: 9.5pt }} td.r {{ text-align: right }}
    .addr {{ position: absolute; left: 5mm; top: 31mm; width: 80mm }} table {{ width: 100%; margin-top: 6mm }}</style>
    </head><body><b>Krav Inkasso AS</b><div class=addr>Kari Nordmann<br>Storgata 1<br>0155 Oslo</div>
    <h1 style="margin-top: 70mm">Inkassovarsel</h1><p>Vi har ikke mottatt betaling for fakturaene nedenfor.
    Dersom 3 845,52 kroner ikke er betalt innen 24.02.2025, vil kravet bli sendt til inkasso.</p>
    <table><tr><th>Fakturanr.</th><th>Fakturadato</th><th>Forfall</th><th>Hovedstol</th><th>Gebyr</th>
    <th>Renter</th><th>Sum</th></tr>{rows}</table><p>Kontonummer 1234.56.78903 · KID 0012344</p></body></html>"""
    HTML(string=html).write_pdf()

    def work() -> int:
        for _ in range(n):
            HTML(string=html).write_pdf()
        return n

    rate = _median_rate(work, runs)
    print(f"WeasyPrint, one HTML letter per document: {rate:8.1f} letters/s ({1000 / rate:.1f} ms/letter)")


# -- main --------------------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per figure; the median is reported (default 5)")
    parser.add_argument("--n", type=int, default=200, help="letters per run, and per batch document (default 200)")
    parser.add_argument("--weasyprint", action="store_true", help="measure WeasyPrint instead (needs it installed)")
    args = parser.parse_args()
    if args.weasyprint:
        _weasyprint(args.runs, max(args.n // 10, 10))
        return

    sys.path.insert(0, "src")
    from krav.adapters.pdf import render_letter, render_letters

    letters = _letters(args.n)
    render_letters(letters[:2])  # warm up: fonts, compiled templates
    strings = _strings_per_letter(letters[0])
    pages = len(_pdf_pages(render_letter(letters[0])))  # type: ignore[arg-type]
    assert pages == 1, "the benchmark letter must be one page"

    def krav_single() -> int:
        for letter in letters:
            render_letter(letter)  # type: ignore[arg-type]
        return len(letters)

    def krav_batch() -> int:
        render_letters(letters)  # type: ignore[arg-type]
        return len(letters)

    def floor_single(one_text_object: bool = False) -> int:
        for _ in letters:
            _floor_document(1, strings, one_text_object)
        return len(letters)

    def floor_batch(one_text_object: bool = False) -> int:
        _floor_document(len(letters), strings, one_text_object)
        return len(letters)

    works: dict[str, Callable[[], int]] = {
        "floor single": floor_single,
        "krav single": krav_single,
        "tight single": lambda: floor_single(True),
        "floor batch": floor_batch,
        "krav batch": krav_batch,
        "tight batch": lambda: floor_batch(True),
    }
    # round-robin: each run measures every variant once, so a busy neighbour slows them all alike
    rates: dict[str, list[float]] = {name: [] for name in works}
    for _ in range(args.runs):
        for name, work in works.items():
            rates[name].append(_median_rate(work, 1))
    results = {name: statistics.median(values) for name, values in rates.items()}

    print(
        f"one-page inkassovarsel, 3 claims, {strings} strings a page; n={args.n}, median of {args.runs} runs, one core"
    )
    for kind in ("single", "batch"):
        krav, floor, tight = results[f"krav {kind}"], results[f"floor {kind}"], results[f"tight {kind}"]
        what = "one letter per document" if kind == "single" else f"{args.n} letters in one document"
        print(f"{what}:")
        print(f"  Krav                                  {krav:6.0f} letters/s  {1000 / krav:5.2f} ms/letter")
        print(
            f"  floor: bare canvas, drawString        {floor:6.0f} letters/s  {1000 / floor:5.2f} ms  ratio {floor / krav:.2f}x"
        )
        print(
            f"  floor: bare canvas, one text object   {tight:6.0f} letters/s  {1000 / tight:5.2f} ms  ratio {tight / krav:.2f}x"
        )


def _pdf_pages(document: bytes) -> list[int]:
    # a page count without pypdf (a dev-only dependency): count the page objects
    return [1] * document.count(b"/Type /Page\n")


if __name__ == "__main__":
    main()
