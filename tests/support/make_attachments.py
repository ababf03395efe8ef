#!/usr/bin/python3
"""Writes the attachments attachment_*_test.cc reads, into the directory argv[1].

Leaked files as a site would publish them (openpyxl, python-docx, reportlab,
xlwt; a .pptx by hand, as Debian has no python3-pptx), each holding valid
mainland ID numbers, and hostile or broken ones: a zip bomb, a truncated PDF,
malformed XML, a Word 97-2003 file. The ID numbers are printed one a line
to ids.txt, in the order the test expects them.

Importable (make_site.py plants these files in a generated site): each
writer takes the directory and the file name to write.
"""
import datetime
import os
import struct
import sys
import zipfile
import zlib

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def check_char(first17):
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]


def id_numbers(region, birth, count):
    out = []
    for seq in range(1, 1000):
        first17 = "%s%s%03d" % (region, birth, seq)
        out.append(first17 + check_char(first17))
        if len(out) == count:
            return out


def numeric_id_numbers(region, count):
    """Valid ID numbers a numeric cell keeps intact. A double holds about 16
    digits and openpyxl writes numbers as %.16g, so only an ID number ending
    in 00 and held exactly by a double (a multiple of 16 at 1.1e17) survives:
    in real files the others lose their last digits when typed."""
    out = []
    start = datetime.date(1990, 1, 1)
    for day in range(3650):
        birth = (start + datetime.timedelta(days=day)).strftime("%Y%m%d")
        for seq in range(0, 1000, 10):
            first17 = "%s%s%03d" % (region, birth, seq)
            number = first17 + check_char(first17)
            if number.endswith("00") and int(float("%.16g" % int(number))) == int(number):
                out.append(number)
                if len(out) == count:
                    return out
    raise SystemExit("no numeric ID numbers for " + region)


def path(out, name):
    return os.path.join(out, name)


TEXT_IDS = id_numbers("110105", "19900101", 3)
NUMERIC_IDS = numeric_id_numbers("110105", 3)
DOC_IDS = id_numbers("320583", "20000229", 3)
PDF_IDS = id_numbers("510107", "19771120", 3)


def xlsx(out, name="students.xlsx"):
    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号（文本）", "身份证号（数字）"])
    for i, (text, number) in enumerate(zip(TEXT_IDS, NUMERIC_IDS)):
        sheet.append(["学生%d" % i, text, int(number)])
    book.create_sheet("第二页").append(["备注", 13800138000])
    book.save(path(out, name))


def docx(out, name="admitted.docx"):
    from docx import Document
    document = Document()
    document.add_paragraph("录取名单（内部资料）")
    document.add_paragraph("联系人身份证号 " + DOC_IDS[0])
    table = document.add_table(rows=2, cols=2)
    for row, number in zip(table.rows, DOC_IDS[1:]):
        row.cells[0].text = "考生"
        row.cells[1].text = number
    document.save(path(out, name))


def pdf(out, name="report.pdf"):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    page = canvas.Canvas(path(out, name))
    page.setFont("STSong-Light", 12)
    page.drawString(72, 760, "贫困生资助名单")
    for i, number in enumerate(PDF_IDS):
        page.drawString(72, 730 - 20 * i, "Student %d   %s" % (i, number))
    page.showPage()
    page.drawString(72, 760, "second page")
    page.save()


def truncated_pdf(out, name="truncated.pdf", source="report.pdf"):
    """The first half of the PDF `source` (written by pdf() into `out`)."""
    with open(path(out, source), "rb") as f:
        whole = f.read()
    with open(path(out, name), "wb") as f:
        f.write(whole[: len(whole) // 2])


def scan_pdf(out, name="scan.pdf"):
    from reportlab.pdfgen import canvas
    scan = canvas.Canvas(path(out, name))
    scan.rect(72, 600, 300, 150, fill=1)
    scan.line(72, 560, 372, 560)
    scan.showPage()
    scan.save()


def xls(out, name="students.xls"):
    import xlwt
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("名单")
    for row, (text, number) in enumerate(zip(TEXT_IDS, NUMERIC_IDS)):
        sheet.write(row, 0, text)
        sheet.write(row, 1, int(number))
    book.save(path(out, name))


def csv(out, name="students.csv"):
    rows = ["姓名,身份证号"] + ["学生%d,%s" % (i, n) for i, n in enumerate(TEXT_IDS)]
    with open(path(out, name), "wb") as f:
        f.write("\r\n".join(rows).encode("gb18030"))


SLIDE = ('<?xml version="1.0" encoding="UTF-8"?>'
         '<p:sld xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
         'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cSld><p:spTree>'
         '<p:sp><p:txBody><a:p><a:r><a:t>%s</a:t></a:r></a:p><a:p><a:r><a:t>%s</a:t></a:r></a:p></p:txBody></p:sp>'
         '</p:spTree></p:cSld></p:sld>')


def pptx(out, name="slides.pptx"):
    with zipfile.ZipFile(path(out, name), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        for n, (title, number) in enumerate(zip(["第一页", "第二页", "第十页"], TEXT_IDS), start=1):
            z.writestr("ppt/slides/slide%d.xml" % (n if n < 3 else 10), SLIDE % (title, number))


def broken_docx(out, name="malformed.docx"):
    with zipfile.ZipFile(path(out, name), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", '<w:document xmlns:w="urn:w"><w:body><w:p><w:t>cut</w:body>')


def zip_bomb(out, name, declared):
    """A .xlsx whose one sheet inflates to 1 GiB of spaces from about 1 MiB:
    one compressed MiB repeated (a sync-flushed deflate block refers only
    back into spaces). `declared`: the uncompressed size its headers give."""
    mib = 1 << 20
    copies = 1024
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(b" " * mib) + compressor.flush(zlib.Z_SYNC_FLUSH)
    data = block * copies + compressor.flush(zlib.Z_FINISH)
    crc = 0
    chunk = b" " * mib
    for _ in range(copies):
        crc = zlib.crc32(chunk, crc)
    entry = b"xl/worksheets/sheet1.xml"
    size = declared if declared is not None else mib * copies
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), size, len(entry), 0) + entry
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(data), size,
                          len(entry), 0, 0, 0, 0, 0, 0) + entry
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local) + len(data), 0)
    with open(path(out, name), "wb") as f:
        f.write(local + data + central + end)


def old_doc(out, name="minutes.doc"):
    # The OLE2 compound file signature Word 97-2003 files start with.
    with open(path(out, name), "wb") as f:
        f.write(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504))


def main(out):
    xlsx(out)
    docx(out)
    pdf(out)
    truncated_pdf(out)
    scan_pdf(out)
    xls(out)
    csv(out)
    pptx(out)
    broken_docx(out)
    zip_bomb(out, "bomb.xlsx", None)
    zip_bomb(out, "lying_bomb.xlsx", 4096)
    old_doc(out)
    with open(path(out, "ids.txt"), "w") as f:
        f.write("\n".join(TEXT_IDS + NUMERIC_IDS + DOC_IDS + PDF_IDS) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
