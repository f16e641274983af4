"""Fills, inspects and damages the xlsx reporting template with openpyxl, the way a
person (or their spreadsheet) would, for tests/report_xlsx.rs.

    sheet.py fill IN OUT            fill some rows, as a ministry desk would
    sheet.py inspect IN             print what the template shows, as JSON
    sheet.py break KIND IN OUT      one bad input: formula, merged, header, locked,
                                    error, far
"""
import datetime
import json
import sys

import openpyxl

HEADER_ROW = 2


def columns(ws):
    """Column name -> letter, from the header row (each cell's last line)."""
    names = {}
    for cell in ws[HEADER_ROW]:
        if cell.value:
            names[str(cell.value).splitlines()[-1].strip()] = cell.column_letter
    return names


def row_of(ws, commitment, activity):
    for row in ws.iter_rows(min_row=HEADER_ROW + 1):
        if row[1].value == commitment and row[2].value == activity:
            return row[0].row
    raise SystemExit(f"no row for {commitment} {activity}")


def put(ws, commitment, activity, column, value, number_format=None):
    cell = ws[f"{columns(ws)[column]}{row_of(ws, commitment, activity)}"]
    cell.value = value
    if number_format:
        cell.number_format = number_format
    return cell.coordinate


def fill(ws):
    put(ws, "open-data", 1, "new_progress", 40)
    put(ws, "open-data", 1, "note_ar", "تمّ إعدادُ المسوّدة، وهي قيد المراجعة")
    put(ws, "open-data", 1, "note_fr", "Projet rédigé, en cours de relecture")
    put(ws, "open-data", 1, "evidence_url", "https://data.gov.ma/fr/news/draft")
    # A date typed in a date cell, as Excel stores it.
    put(ws, "open-data", 2, "new_end", datetime.datetime(2027, 6, 30), "yyyy-mm-dd")
    put(ws, "open-data", 2, "new_end_reason_ar", "انتظار المعايير التقنية")
    put(ws, "open-data", 2, "new_end_reason_fr", "Attente des normes techniques")
    # 75.5 % typed in a percentage cell: Excel stores 0.755.
    put(ws, "access-to-information-law", 1, "new_progress", 0.755, "0.0%")
    # A number stored as text, as a paste from another program leaves it.
    put(ws, "access-to-information-law", 2, "new_progress", "35")


def width(ws, letter):
    """A column's width as Excel shows it: columns of the same width are stored as one
    range, which openpyxl keys by its first column."""
    index = openpyxl.utils.column_index_from_string(letter)
    for dim in ws.column_dimensions.values():
        if dim.min is not None and dim.min <= index <= dim.max:
            return dim.width
    return None


def inspect(wb):
    ws = wb.worksheets[0]
    names = columns(ws)
    first = HEADER_ROW + 1
    validations = {}
    for dv in ws.data_validations.dataValidation:
        letter = str(dv.sqref).split(":")[0].rstrip("0123456789")
        name = next(n for n, l in names.items() if l == letter)
        validations[name] = {
            "type": dv.type,
            "formula1": dv.formula1,
            "formula2": dv.formula2,
            "prompt": dv.prompt,
            "sqref": str(dv.sqref),
        }
    help_ws = wb.worksheets[1]
    return {
        "sheets": wb.sheetnames,
        "created": wb.properties.created.isoformat(),
        "title": wb.properties.title,
        "a1": ws["A1"].value,
        "freeze": ws.freeze_panes,
        "protected": ws.protection.sheet,
        "password": ws.protection.password,
        "header_bold": ws[f"A{HEADER_ROW}"].font.b,
        "header": [c.value for c in ws[HEADER_ROW]],
        "locked": {n: ws[f"{l}{first}"].protection.locked for n, l in names.items()},
        "shaded": {n: ws[f"{l}{first}"].fill.fgColor.rgb for n, l in names.items()},
        "reading_order": {n: ws[f"{l}{first}"].alignment.readingOrder for n, l in names.items()},
        "widths": {n: width(ws, l) for n, l in names.items()},
        "validations": validations,
        "help": [[c.value for c in row] for row in help_ws.iter_rows()],
        "rows": ws.max_row - HEADER_ROW,
    }


def damage(ws, kind):
    if kind == "formula":
        return put(ws, "open-data", 1, "new_progress", "=40+10")
    if kind == "merged":
        row = row_of(ws, "open-data", 1)
        names = columns(ws)
        ws.merge_cells(f"{names['note_ar']}{row}:{names['note_fr']}{row}")
        return f"{names['note_ar']}{row}:{names['note_fr']}{row}"
    if kind == "header":
        cell = ws[f"{columns(ws)['new_progress']}{HEADER_ROW}"]
        cell.value = "Avancement"
        return cell.coordinate
    if kind == "locked":
        return put(ws, "open-data", 3, "title_fr", "Une autre activité")
    if kind == "far":
        ws["XFD1048576"] = "stray"
        return "XFD1048576"
    if kind == "error":
        return put(ws, "open-data", 1, "new_progress", "#DIV/0!")
    raise SystemExit(f"unknown damage {kind}")


def main(args):
    if args[0] == "fill":
        wb = openpyxl.load_workbook(args[1])
        fill(wb.worksheets[0])
        wb.save(args[2])
    elif args[0] == "inspect":
        print(json.dumps(inspect(openpyxl.load_workbook(args[1])), ensure_ascii=False))
    elif args[0] == "break":
        wb = openpyxl.load_workbook(args[2])
        print(damage(wb.worksheets[0], args[1]))
        wb.save(args[3])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
