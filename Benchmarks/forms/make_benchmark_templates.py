"""Makes the benchmark templates with python-docx: a three-page letter (tags split across runs as
Word splits them, conditionals, a table-row loop) and a one-row table that a loop repeats.
Run: python3 -m venv v && v/bin/pip install python-docx && v/bin/python make_benchmark_templates.py
Only plain variables, `if`, `for`, `loop.index` and `upper` are used, so docxtpl fills the same files."""
import json
import os

from docx import Document
from docx.shared import Pt

here = os.path.dirname(os.path.abspath(__file__))

SENTENCES = [
    "This letter explains what happens next in the case and what you can expect from each step.",
    "You do not have to face the court alone; an advocate can sit with you and answer questions.",
    "If anything in this letter is unclear, call the office and ask for the advocate named below.",
    "Keep this letter with your other court papers so you can find the dates when you need them.",
    "The court may change a date; we will tell you as soon as we hear about any change.",
]


def split_tag(paragraph, before, tag, after):
    """Writes a tag in three runs with a bold start, as Word does after a formatting change."""
    paragraph.add_run(before)
    first, rest = tag[: len(tag) // 2], tag[len(tag) // 2 :]
    paragraph.add_run(first).bold = True
    paragraph.add_run(rest)
    paragraph.add_run(after)


def letter():
    d = Document()
    d.styles["Normal"].font.size = Pt(11)
    d.add_heading("Notice about your case", 1)
    split_tag(d.add_paragraph(), "Dear ", "{{ client.name }}", ",")
    d.add_paragraph("Case number {{ court.case_number }}, filed on {{ petition.filed }}.")
    for section in range(1, 4):
        d.add_heading(f"Part {section}. What happens next", 2)
        for n in range(4):
            p = d.add_paragraph(" ".join(SENTENCES[(section + n + k) % 5] for k in range(3)) + " ")
            if n == 1:
                split_tag(p, "The hearing is on ", "{{ hearing.date }}", " in {{ court.room }}.")
            if n == 2:
                p.add_run("{% if client.has_children %}The order can also protect your children.{% else %}The order protects you.{% endif %}")
        d.add_paragraph("{%p if client.needs_interpreter %}")
        d.add_paragraph("An interpreter who speaks {{ client.language }} will be there for you.")
        d.add_paragraph("{%p endif %}")
    table = d.add_table(rows=4, cols=3)
    table.rows[0].cells[0].text = "No."
    table.rows[0].cells[1].text = "Witness"
    table.rows[0].cells[2].text = "What they saw"
    table.rows[1].cells[0].text = "{%tr for w in witnesses %}"
    table.rows[2].cells[0].text = "{{ loop.index }}"
    table.rows[2].cells[1].text = "{{ w.name | upper }}"
    table.rows[2].cells[2].text = "{{ w.saw }}"
    table.rows[3].cells[0].text = "{%tr endfor %}"
    d.add_paragraph("Sincerely,")
    d.add_paragraph("{{ advocate.name }}, advocate")
    d.save(os.path.join(here, "letter.docx"))


def table():
    d = Document()
    d.add_heading("Expenses", 1)
    t = d.add_table(rows=4, cols=4)
    for i, name in enumerate(["No.", "Item", "Date", "Amount"]):
        t.rows[0].cells[i].text = name
    t.rows[1].cells[0].text = "{%tr for r in rows %}"
    t.rows[2].cells[0].text = "{{ loop.index }}"
    t.rows[2].cells[1].text = "{{ r.item }}"
    t.rows[2].cells[2].text = "{{ r.date }}"
    t.rows[2].cells[3].text = "{{ r.amount }}"
    t.rows[3].cells[0].text = "{%tr endfor %}"
    d.save(os.path.join(here, "table.docx"))


def data():
    letter_data = {
        "client": {"name": "Ana María Núñez", "has_children": True, "needs_interpreter": True, "language": "Spanish"},
        "court": {"case_number": "PO-2026-0193", "room": "Courtroom 4B & annex"},
        "petition": {"filed": "2026-11-17"},
        "hearing": {"date": "2026-12-14"},
        "advocate": {"name": "Jordan Reyes"},
        "witnesses": [{"name": f"Witness {i}", "saw": f"Saw the <truck> at {10 + i % 3}:00 p.m. & called"} for i in range(1, 13)],
    }
    rows = [{"item": f"Bill {i}: counseling & travel", "date": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}", "amount": f"{(i * 37) % 900 + 15}.50"} for i in range(1, 2001)]
    with open(os.path.join(here, "letter.json"), "w", encoding="utf-8") as f:
        json.dump(letter_data, f, ensure_ascii=False, indent=1)
    with open(os.path.join(here, "table.json"), "w", encoding="utf-8") as f:
        json.dump({"rows": rows}, f, ensure_ascii=False)


letter()
table()
data()
