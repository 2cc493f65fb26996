"""Writes a 12-column roster .xlsx the way Excel saves one: every text in xl/sharedStrings.xml
(cells t="s"), dates as serial numbers under a date style (numFmtId 14), a dimension, deflate.

usage: xlsx_make.py ROSTER.csv OUT.xlsx [ROWS]
ROSTER.csv is `zizhu sample`'s finance roster (UTF-8); OUT.xlsx gets its first ROWS students.
Standard library only, streamed (the sheet is written straight into the zip entry).
"""
import csv
import datetime
import sys
import zipfile

COLUMNS = ["学籍号", "姓名", "身份证号", "性别", "出生日期", "学校代码", "学校名称", "专业", "入学年月",
           "注册日期", "学习形式", "学籍状态"]
DATES = {"出生日期", "注册日期"}
BASE = datetime.date(1899, 12, 30)


def letters(n):
    s = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def main():
    src, out = sys.argv[1], sys.argv[2]
    limit = int(sys.argv[3]) if len(sys.argv) > 3 else None
    strings, order = {}, []

    def sst(text):
        k = strings.get(text)
        if k is None:
            k = strings[text] = len(order)
            order.append(text)
        return k

    refs = [letters(i) for i in range(len(COLUMNS))]
    rows = 0
    with open(src, encoding="utf-8-sig", newline="") as f, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        reader = csv.reader(f)
        header = next(reader)
        pick = [header.index(c) for c in COLUMNS]
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            buf = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                   '<sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>'
                   '<sheetFormatPr defaultRowHeight="15"/><sheetData>']
            buf.append('<row r="1" spans="1:12">' + "".join(
                f'<c r="{refs[i]}1" t="s"><v>{sst(c)}</v></c>' for i, c in enumerate(COLUMNS)) + "</row>")
            for record in reader:
                if limit is not None and rows >= limit:
                    break
                rows += 1
                r = rows + 1
                cells = []
                for i, k in enumerate(pick):
                    v = record[k] if k < len(record) else ""
                    if not v:
                        continue
                    if COLUMNS[i] in DATES:
                        try:
                            d = datetime.date.fromisoformat(v)
                            cells.append(f'<c r="{refs[i]}{r}" s="1"><v>{(d - BASE).days}</v></c>')
                            continue
                        except ValueError:
                            pass
                    cells.append(f'<c r="{refs[i]}{r}" t="s"><v>{sst(v)}</v></c>')
                buf.append(f'<row r="{r}" spans="1:12">' + "".join(cells) + "</row>")
                if len(buf) >= 4096:
                    sheet.write("".join(buf).encode())
                    buf = []
            buf.append('</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" '
                       'header="0.3" footer="0.3"/></worksheet>')
            sheet.write("".join(buf).encode())
        total = rows * len(COLUMNS) + len(COLUMNS)
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as s:
            s.write(('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                     '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                     f'count="{total}" uniqueCount="{len(order)}">').encode())
            for i in range(0, len(order), 4096):
                s.write("".join(f"<si><t>{esc(t)}</t></si>" for t in order[i:i + 4096]).encode())
            s.write(b"</sst>")
        ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                   '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
                   '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                   '</Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                   '</Relationships>')
        z.writestr("xl/workbook.xml",
                   f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {ns} '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                   '<sheets><sheet name="学籍名册" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                   '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
                   '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                   '</Relationships>')
        z.writestr("xl/styles.xml",
                   f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet {ns}>'
                   '<fonts count="1"><font><sz val="11"/><name val="等线"/></font></fonts>'
                   '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
                   '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
                   '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                   '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
                   '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
                   '</styleSheet>')
    print(rows)


if __name__ == "__main__":
    main()
