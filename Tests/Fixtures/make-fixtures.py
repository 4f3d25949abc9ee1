"""Makes the DOCX fixtures with python-docx (a real office library), so runs split the way real
documents split them. Run: python3 -m venv v && v/bin/pip install python-docx && v/bin/python make-fixtures.py"""
from docx import Document

d = Document()
d.add_heading("Notice to Dana Whitfield", 1)
p = d.add_paragraph("The prosecutor asked for a ")
p.add_run("contin").bold = True  # a term split across two runs
p.add_run("uance. Your arraignment moved to Monday. Questions: clerk@court.example")
d.add_paragraph("Bring your protective order to court.")
d.save("notice.docx")
