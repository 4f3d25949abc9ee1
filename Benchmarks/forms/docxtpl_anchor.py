"""The anchor for the document-assembly benchmark: docxtpl fills the same templates with the
same data. Each document is loaded, rendered and saved, as docxtpl needs a fresh template per render."""
import io
import json
import os
import statistics
import sys
import time

from docxtpl import DocxTemplate

here = os.path.dirname(os.path.abspath(__file__))


def main(folder: str, count: int) -> None:
    letter_data = json.load(open(os.path.join(here, "letter.json"), encoding="utf-8"))
    table_data = json.load(open(os.path.join(here, "table.json"), encoding="utf-8"))
    began = time.perf_counter()
    for index in range(count):
        template = DocxTemplate(os.path.join(here, "letter.docx"))
        template.render(letter_data, autoescape=True)
        template.save(os.path.join(folder, f"docxtpl-letter-{index % 8}.docx"))
    elapsed = time.perf_counter() - began
    print(f"docxtpl: fill 3-page DOCX (load + render + save)   {count / elapsed:8.1f} docs/s   {elapsed / count * 1000:8.2f} ms/doc")
    times = []
    for _ in range(3):
        template = DocxTemplate(os.path.join(here, "table.docx"))
        start = time.perf_counter()
        template.render(table_data, autoescape=True)
        template.save(io.BytesIO())
        times.append(time.perf_counter() - start)
    print(f"docxtpl: 2,000-row table loop (median of 3)          {statistics.median(times) * 1000:8.1f} ms")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 100)
