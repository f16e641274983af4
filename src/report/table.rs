//! A filled reporting file read into one table of text cells, whatever it came as: an
//! xlsx workbook (read with calamine) or a CSV file separated by `,` or `;`. Each cell
//! keeps the place a spreadsheet shows for it (`sheet "Rapport", cell K14` or
//! `row 14, column K`), so that every problem found later names it the same way.
//!
//! Problems that stop the reading (a damaged workbook, a password, merged cells, a
//! formula with no value) are added to the diagnostics, one sentence each, and no
//! table is returned: the import then writes nothing.

use std::io::Cursor;

use calamine::{Data, Range, Reader, Xlsx, XlsxError};

use crate::diagnostics::Diagnostics;
use crate::load::decode::format_number;
use crate::model::Pos;

/// A reporting file holds one row per activity: a few hundred kilobytes for the whole
/// portal. Anything far larger is not a template, and is refused before it is parsed.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// The header is searched for in this many rows at the top of a sheet: the xlsx
/// template puts a title row above it.
const HEADER_SEARCH_ROWS: u32 = 10;

/// Spreadsheets such as Excel read a CSV as UTF-8 (and Arabic correctly) only with it.
pub const BOM: &str = "\u{feff}";

/// What a reading problem says when the file is not UTF-8: the menu entry to choose in
/// Excel, as a French-speaking and an Arabic-speaking desk see it.
const NOT_UTF8: &str = "the file is not UTF-8 text; in Excel, save it again with \"Enregistrer sous\" (حفظ باسم) and the type \"CSV UTF-8\", or save it as xlsx";

/// The rows of a filled template, as text.
pub struct Table {
    /// The worksheet the rows come from; `None` for a CSV file.
    pub sheet: Option<String>,
    /// The column names of the header row, in order.
    pub columns: Vec<String>,
    /// The data rows below the header.
    pub rows: Vec<Line>,
}

/// One data row: its number as the spreadsheet shows it (1-based), and its cells.
pub struct Line {
    pub number: usize,
    pub cells: Vec<String>,
}

impl Table {
    /// Where a cell is, as the spreadsheet shows it: `sheet "Rapport", cell K14` for a
    /// workbook, `row 14, column K` for a CSV file. `column` is 0-based.
    pub fn place(&self, row: usize, column: usize) -> String {
        place(self.sheet.as_deref(), row, column)
    }
}

fn place(sheet: Option<&str>, row: usize, column: usize) -> String {
    let letter = column_letter(column);
    match sheet {
        Some(sheet) => format!("sheet \"{sheet}\", cell {letter}{row}"),
        None => format!("row {row}, column {letter}"),
    }
}

/// Spreadsheet column letters: 0 → A, 25 → Z, 26 → AA.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// The kinds of file a round may come back as, told apart by their first bytes rather
/// than by their name: a renamed file is read for what it is.
enum Kind {
    Xlsx,
    /// An OLE compound file: an old `.xls` workbook, or an xlsx encrypted with a password.
    Compound,
    Text,
}

fn kind(bytes: &[u8]) -> Kind {
    if bytes.starts_with(b"PK\x03\x04") {
        Kind::Xlsx
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Kind::Compound
    } else {
        Kind::Text
    }
}

/// Reads `bytes` (the file `file_name`) into a table, or adds the one problem that stops
/// it to `problems`. `columns` are the names the header row must hold.
pub fn read(file_name: &str, bytes: &[u8], columns: &[String], problems: &mut Diagnostics) -> Option<Table> {
    let refuse = |problems: &mut Diagnostics, message: String| {
        problems.error(file_name, Pos::new(1, 1), "", message);
        None
    };
    if bytes.len() > MAX_BYTES {
        let size = bytes.len() as f64 / (1024.0 * 1024.0);
        return refuse(
            problems,
            format!(
                "the file is {size:.1} MB, far more than a reporting round needs (at most {} MB); start from a new `shafaf report template`",
                MAX_BYTES / (1024 * 1024)
            ),
        );
    }
    if bytes.iter().all(u8::is_ascii_whitespace) || bytes == BOM.as_bytes() {
        return refuse(problems, "the file is empty; fill the file that `shafaf report template` wrote".into());
    }
    match kind(bytes) {
        Kind::Xlsx => read_xlsx(file_name, bytes, columns, problems),
        Kind::Compound => refuse(problems, compound_problem(bytes)),
        Kind::Text => read_csv(file_name, bytes, columns, problems),
    }
}

/// An OLE file is either an xlsx locked with a password (Excel wraps the encrypted
/// workbook in one) or a workbook in the old `.xls` format.
fn compound_problem(bytes: &[u8]) -> String {
    match Xlsx::new(Cursor::new(bytes)) {
        Err(XlsxError::Password) => {
            "the workbook is protected by a password; remove the password (File > Info > Protect Workbook) and save it again".into()
        }
        _ => "the file is an old-format .xls workbook; open it and save it as \"Excel Workbook (.xlsx)\"".into(),
    }
}

/// The CSV the template writes, or one a spreadsheet saved: separated by `,` or by `;`
/// (Excel's list separator under French and Arabic regional settings), decided from the
/// header row, or by a first line `sep=;` as Excel itself reads it.
fn read_csv(file_name: &str, bytes: &[u8], columns: &[String], problems: &mut Diagnostics) -> Option<Table> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        problems.error(file_name, Pos::new(1, 1), "", NOT_UTF8.into());
        return None;
    };
    let text = text.strip_prefix(BOM).unwrap_or(text);
    let (delimiter, text) = separator(text);
    let reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    // Rows are numbered as a spreadsheet shows them: a blank line, which the CSV reader
    // skips, is an empty row there, and the line breaks quoted in a cell stay in its row.
    // (A record's position is where the reader stood, before the blank lines it skips.)
    let mut records: Vec<(usize, Vec<String>)> = Vec::new();
    let (mut line, mut counted_to, mut breaks_in_cells) = (1, 0, 0);
    let mut ok = true;
    for record in reader.into_records() {
        let after_last = records.last().map_or(1, |(row, _)| row + 1);
        match record {
            Ok(record) => {
                let from = record.position().map_or(counted_to, |p| p.byte() as usize).clamp(counted_to, text.len());
                let start = text.len() - text[from..].trim_start_matches(['\r', '\n']).len();
                line += line_breaks(&text[counted_to..start]);
                counted_to = start;
                let row = line - breaks_in_cells;
                breaks_in_cells += record.iter().map(line_breaks).sum::<usize>();
                records.push((row, record.iter().map(|c| c.trim().to_string()).collect()));
            }
            // Not reached for text already checked to be UTF-8; kept for the reader's sake.
            Err(err) => {
                problems.error(file_name, Pos::new(after_last, 1), "", format!("row {after_last} cannot be read: {err}"));
                ok = false;
                records.push((after_last, Vec::new()));
            }
        }
    }
    if records.is_empty() {
        problems.error(file_name, Pos::new(1, 1), "", "the file is empty; fill the file that `shafaf report template` wrote".into());
        return None;
    }
    // The template's CSV starts with its header; a CSV a spreadsheet saved from the xlsx
    // template has the title row above it.
    let header_at = records.iter().take(HEADER_SEARCH_ROWS as usize).position(|(_, r)| is_header(r, columns)).unwrap_or(0);
    let (header_row, header) = &records[header_at];
    let (header_row, header): (usize, Vec<String>) = (*header_row, header.iter().map(|c| column_name(c)).collect());
    check_header(file_name, None, header_row, &header, columns, problems)?;
    let rows = records
        .into_iter()
        .skip(header_at + 1)
        .filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()))
        .map(|(number, cells)| Line { number, cells })
        .collect();
    ok.then_some(Table { sheet: None, columns: header, rows })
}

/// The line breaks in `text`, each `\r\n`, `\n` or lone `\r` (an old Mac CSV) one, as
/// the CSV reader counts them.
fn line_breaks(text: &str) -> usize {
    text.matches('\n').count() + text.matches('\r').count() - text.matches("\r\n").count()
}

/// A row that names enough template columns to be the header row (an edited header
/// still counts, so that its edit can be named).
fn is_header(cells: &[String], columns: &[String]) -> bool {
    cells.iter().filter(|c| columns.contains(&column_name(c))).count() >= 3
}

/// The field separator, and the text without a `sep=` line. Excel hides that line and
/// numbers the header as row 1, so the rows are numbered from the line after it.
fn separator(text: &str) -> (u8, &str) {
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    let first = first.trim_end_matches('\r');
    if let Some(sep) = first.strip_prefix("sep=")
        && let [byte] = sep.as_bytes()
    {
        return (*byte, rest);
    }
    let delimiter = if first.matches(';').count() > first.matches(',').count() { b';' } else { b',' };
    (delimiter, text)
}

/// The header row must hold every column of the template: a renamed or deleted one
/// would leave its values unread or read under another meaning.
fn check_header(
    file_name: &str,
    sheet: Option<&str>,
    row: usize,
    header: &[String],
    columns: &[String],
    problems: &mut Diagnostics,
) -> Option<()> {
    let missing: Vec<&str> = columns.iter().filter(|c| !header.contains(c)).map(String::as_str).collect();
    if missing.is_empty() {
        return Some(());
    }
    // Name the first cell that is not a template column: most often the edited one.
    let edited = header.iter().position(|h| !h.is_empty() && !columns.contains(h));
    let message = match edited {
        Some(i) => format!(
            "{}: the header \"{}\" is not a column of the template, which lacks {}; start from `shafaf report template`",
            place(sheet, row, i),
            header[i],
            missing.join(", ")
        ),
        None => format!(
            "{}: the header row lacks the columns {}; start from `shafaf report template`",
            place(sheet, row, 0),
            missing.join(", ")
        ),
    };
    problems.error(file_name, Pos::new(row, edited.unwrap_or(0) + 1), "", message);
    None
}

/// A workbook: the first sheet that holds the template's header row.
fn read_xlsx(file_name: &str, bytes: &[u8], columns: &[String], problems: &mut Diagnostics) -> Option<Table> {
    let refuse = |problems: &mut Diagnostics, message: String| {
        problems.error(file_name, Pos::new(1, 1), "", message);
        None
    };
    let mut book = match Xlsx::new(Cursor::new(bytes)) {
        Ok(book) => book,
        Err(_) => {
            return refuse(
                problems,
                "the file is not a readable xlsx workbook (it may be damaged or cut short); save it again from the spreadsheet".into(),
            );
        }
    };
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        if let Some(message) = outlying_cell(&mut book, &name) {
            return refuse(problems, message);
        }
        match book.worksheet_range(&name) {
            Ok(range) => sheets.push((name, range)),
            Err(_) => {
                return refuse(
                    problems,
                    format!("sheet \"{name}\" cannot be read (the workbook may be damaged); save it again from the spreadsheet"),
                );
            }
        }
    }
    let found = sheets.iter().find_map(|(name, range)| header_row(range, columns).map(|row| (name.clone(), row)));
    let Some((sheet, header_at)) = found else {
        return match sheets.iter().find(|(_, range)| !range.is_empty()) {
            None => refuse(problems, "the workbook is empty; fill the file that `shafaf report template` wrote".into()),
            Some((name, range)) => {
                let row = range.start().map_or(1, |(r, _)| r as usize + 1);
                let header = cells_of_row(range, row as u32 - 1).iter().map(|c| column_name(c)).collect::<Vec<_>>();
                check_header(file_name, Some(name), row, &header, columns, problems)
                    .and_then(|()| refuse(problems, format!("sheet \"{name}\" has no header row of the template")))
            }
        };
    };
    let range = sheets.iter().find(|(name, _)| *name == sheet).map(|(_, range)| range)?;
    let sheet_data = SheetData::load(&mut book, &sheet, file_name, problems)?;
    sheet_data.table(&sheet, range, header_at, columns, file_name, problems)
}

/// A reporting sheet is a few hundred rows of a few dozen columns; calamine holds a
/// sheet as the full rectangle around its cells, so a stray value in cell XFD1048576
/// would need gigabytes. Such a cell is named and refused before the sheet is read.
const MAX_ROWS: u32 = 50_000;
const MAX_COLUMNS: u32 = 100;

fn outlying_cell(book: &mut Xlsx<Cursor<&[u8]>>, sheet: &str) -> Option<String> {
    let damaged = || Some(format!("sheet \"{sheet}\" cannot be read (the workbook may be damaged); save it again from the spreadsheet"));
    let Ok(mut cells) = book.worksheet_cells_reader(sheet) else { return damaged() };
    loop {
        match cells.next_cell() {
            Ok(Some(cell)) => {
                let (row, col) = cell.get_position();
                if row >= MAX_ROWS || col >= MAX_COLUMNS {
                    let at = place(Some(sheet), row as usize + 1, col as usize);
                    return Some(format!(
                        "{at} lies far outside the template ({MAX_ROWS} rows of {MAX_COLUMNS} columns at most); delete what it holds"
                    ));
                }
            }
            Ok(None) => return None,
            Err(_) => return damaged(),
        }
    }
}

/// The 0-based row, among the first ones, that is the header.
fn header_row(range: &Range<Data>, columns: &[String]) -> Option<u32> {
    let (first, _) = range.start()?;
    (first..first + HEADER_SEARCH_ROWS).find(|&row| is_header(&cells_of_row(range, row), columns))
}

/// A header cell's column name: its last line. The xlsx template labels each column in
/// Arabic and French above the name, in the same cell.
fn column_name(cell: &str) -> String {
    cell.lines().last().unwrap_or_default().trim().to_string()
}

/// The cells of one row from column A, as text (no styles: for the header).
fn cells_of_row(range: &Range<Data>, row: u32) -> Vec<String> {
    let end = range.end().map_or(0, |(_, c)| c);
    (0..=end).map(|col| range.get_value((row, col)).map(|d| plain_text(d, false).unwrap_or_default()).unwrap_or_default()).collect()
}

/// What a sheet holds beyond its values: formulas, merged cells and number formats.
struct SheetData {
    formulas: Range<String>,
    styles: calamine::StyleRange,
}

impl SheetData {
    fn load(book: &mut Xlsx<Cursor<&[u8]>>, sheet: &str, file_name: &str, problems: &mut Diagnostics) -> Option<SheetData> {
        let damaged = || format!("sheet \"{sheet}\" cannot be read (the workbook may be damaged); save it again from the spreadsheet");
        // A merged cell holds one value for several columns: which one it was meant for
        // cannot be known, so the file is refused rather than guessed at.
        match book.merge_cells_by_sheet_name(sheet) {
            Ok(merged) if !merged.is_empty() => {
                for region in &merged {
                    let (row, col) = (region.start.0 as usize + 1, region.start.1 as usize);
                    let span = format!("{}{row}:{}{}", column_letter(col), column_letter(region.end.1 as usize), region.end.0 + 1);
                    problems.error(
                        file_name,
                        Pos::new(row, col + 1),
                        "",
                        format!("sheet \"{sheet}\", cells {span} are merged; unmerge them so that each cell holds its own value"),
                    );
                }
                return None;
            }
            Err(_) => {
                problems.error(file_name, Pos::new(1, 1), "", damaged());
                return None;
            }
            Ok(_) => {}
        }
        let formulas = book.worksheet_formula(sheet).ok().unwrap_or_default();
        let styles = book.worksheet_style(sheet).ok().unwrap_or_else(calamine::StyleRange::empty);
        Some(SheetData { formulas, styles })
    }

    fn table(
        &self,
        sheet: &str,
        range: &Range<Data>,
        header_at: u32,
        columns: &[String],
        file_name: &str,
        problems: &mut Diagnostics,
    ) -> Option<Table> {
        let header: Vec<String> = cells_of_row(range, header_at).iter().map(|c| column_name(c)).collect();
        check_header(file_name, Some(sheet), header_at as usize + 1, &header, columns, problems)?;
        let last = range.end().map_or(header_at, |(r, _)| r);
        let mut rows = Vec::new();
        let mut ok = true;
        for row in header_at + 1..=last {
            let mut cells = Vec::with_capacity(header.len());
            for col in 0..header.len() as u32 {
                match self.cell(range, row, col) {
                    Ok(text) => cells.push(text),
                    Err(why) => {
                        let at = place(Some(sheet), row as usize + 1, col as usize);
                        problems.error(file_name, Pos::new(row as usize + 1, col as usize + 1), "", format!("{at}: {why}"));
                        ok = false;
                        cells.push(String::new());
                    }
                }
            }
            // Rows a spreadsheet keeps after their values were cleared are no rows.
            if cells.iter().any(|c| !c.is_empty()) {
                rows.push(Line { number: row as usize + 1, cells });
            }
        }
        ok.then(|| Table { sheet: Some(sheet.to_string()), columns: header, rows })
    }

    /// One cell as text, read the way its author typed it: a percentage cell (0.4 shown as
    /// 40 %) as 40, a date cell as `YYYY-MM-DD`, a formula as the value it last computed.
    fn cell(&self, range: &Range<Data>, row: u32, col: u32) -> Result<String, String> {
        let value = range.get_value((row, col)).unwrap_or(&Data::Empty);
        let formula = self.formulas.get_value((row, col)).map(String::as_str).unwrap_or_default();
        if !formula.is_empty() && matches!(value, Data::Empty) {
            return Err(format!(
                "the formula ={formula} has no saved result; type the value itself (or open the file in a spreadsheet and save it)"
            ));
        }
        let percent = self.styles.get((row, col)).and_then(|s| s.number_format.as_ref()).is_some_and(|f| f.format_code.contains('%'));
        plain_text(value, percent)
    }
}

/// A cell's value as text. `percent`: the cell is formatted as a percentage, so its
/// value is a fraction of one.
fn plain_text(value: &Data, percent: bool) -> Result<String, String> {
    let number = |n: f64| {
        let n = if percent { n * 100.0 } else { n };
        // 0.405 × 100 is 40.500000000000007 in floating point; nobody typed that.
        format_number((n * 1e9).round() / 1e9)
    };
    Ok(match value {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => number(*i as f64),
        Data::Float(f) => number(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(d) if d.is_datetime() => excel_date(d.as_f64()).ok_or("the date is out of range")?,
        Data::DateTime(d) => format_number(d.as_f64()),
        Data::DateTimeIso(s) => s.split('T').next().unwrap_or_default().to_string(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => return Err(format!("the cell holds the error {e}; type a value")),
    })
}

/// An Excel date serial (days since 30 December 1899) as `YYYY-MM-DD`.
fn excel_date(serial: f64) -> Option<String> {
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let days = chrono::Days::new(u64::try_from(serial.floor() as i64).ok()?);
    Some(epoch.checked_add_days(days)?.format("%Y-%m-%d").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_named_the_way_spreadsheets_show_them() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
    }

    #[test]
    fn the_separator_comes_from_a_sep_line_or_the_header() {
        assert_eq!(separator("sep=;\nplan;commitment\n"), (b';', "plan;commitment\n"));
        assert_eq!(separator("plan;commitment;activity\n1,5;2\n"), (b';', "plan;commitment;activity\n1,5;2\n"));
        assert_eq!(separator("plan,commitment,activity\n"), (b',', "plan,commitment,activity\n"));
    }

    #[test]
    fn cells_read_as_their_author_typed_them() {
        assert_eq!(plain_text(&Data::Float(0.405), true).as_deref(), Ok("40.5"));
        assert_eq!(plain_text(&Data::Float(40.0), false).as_deref(), Ok("40"));
        assert_eq!(plain_text(&Data::String(" 40 ".into()), false).as_deref(), Ok(" 40 "));
        assert_eq!(excel_date(46568.0).as_deref(), Some("2027-06-30"));
    }

    #[test]
    fn column_letters_carry_over_at_every_power_of_26() {
        let cases = [(0, "A"), (1, "B"), (25, "Z"), (26, "AA"), (51, "AZ"), (52, "BA"), (701, "ZZ"), (702, "AAA"), (16383, "XFD")];
        for (index, letters) in cases {
            assert_eq!(column_letter(index), letters, "column {index}");
        }
        let csv = Table { sheet: None, columns: vec![], rows: vec![] };
        assert_eq!(csv.place(14, 10), "row 14, column K");
        let sheet = Table { sheet: Some("Rapport".into()), ..csv };
        assert_eq!(sheet.place(14, 27), "sheet \"Rapport\", cell AB14");
    }

    fn columns() -> Vec<String> {
        ["plan", "commitment", "activity", "progress"].map(String::from).to_vec()
    }

    /// What `read` gives: the table's sheet, header, rows (number and cells), or the
    /// problems as (line, column, message).
    #[allow(clippy::type_complexity)]
    fn read_back(bytes: &[u8]) -> Result<(Option<String>, Vec<String>, Vec<(usize, Vec<String>)>), Vec<(usize, usize, String)>> {
        let mut problems = Diagnostics::default();
        let table = read("round.csv", bytes, &columns(), &mut problems);
        let found: Vec<_> = problems.sorted().into_iter().map(|d| (d.line, d.column, d.message)).collect();
        match table {
            Some(table) => {
                assert!(found.is_empty(), "{found:?}");
                Ok((table.sheet, table.columns, table.rows.into_iter().map(|l| (l.number, l.cells)).collect()))
            }
            None => Err(found),
        }
    }

    fn cells(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn a_csv_is_read_below_its_header_with_the_rows_numbered_as_a_spreadsheet_shows_them() {
        // A row cleared of its values, a blank line (an empty row in a spreadsheet too),
        // a cell with two lines in quotes (one row).
        let text = "\u{feff}Rapport 2026\nplan,commitment,activity,progress\n2024-2027, 3 ,1,40\n,,,\n\n\"2024-\r\n2027\",4,2,\n\n2024-2027,5,1,7\n";
        let (sheet, header, rows) = read_back(text.as_bytes()).unwrap();
        assert_eq!(sheet, None);
        assert_eq!(header, columns());
        assert_eq!(
            rows,
            [
                (3, cells(&["2024-2027", "3", "1", "40"])),
                (6, cells(&["2024-\r\n2027", "4", "2", ""])),
                (8, cells(&["2024-2027", "5", "1", "7"]))
            ]
        );

        let old_mac = text.replace("\r\n", "\n").replace('\n', "\r");
        let (_, _, rows) = read_back(old_mac.as_bytes()).unwrap();
        assert_eq!(rows.iter().map(|(row, _)| *row).collect::<Vec<_>>(), [3, 6, 8]);
        assert_eq!(line_breaks("a\r\nb\nc\rd\r\n"), 4);

        // Semicolons, a `sep=` line (hidden by Excel: the header is row 1), header names
        // below their labels in one cell.
        let text = "sep=;\r\n\"Plan\nplan\";commitment;activity;progress\r\n2024-2027;3;1;40,5\r\n";
        let (_, header, rows) = read_back(text.as_bytes()).unwrap();
        assert_eq!(header, columns());
        assert_eq!(rows, [(2, cells(&["2024-2027", "3", "1", "40,5"]))]);
    }

    #[test]
    fn a_header_needs_three_template_columns_within_the_first_ten_rows() {
        assert!(is_header(&cells(&["plan", "x", "commitment", "activity"]), &columns()));
        assert!(!is_header(&cells(&["plan", "x", "commitment", "y"]), &columns()));
        // Two template names on the first row: not the header; the third row is.
        let text = "plan,commitment,x,y\nnote\nplan,commitment,activity,progress\n2024-2027,3,1,40\n";
        let (_, _, rows) = read_back(text.as_bytes()).unwrap();
        assert_eq!(rows, [(4, cells(&["2024-2027", "3", "1", "40"]))]);
        // The header on row 11 is not searched for: row 1 is taken, and named.
        let text = format!("{}plan,commitment,activity,progress\n", "title\n".repeat(10));
        assert_eq!(
            read_back(text.as_bytes()).unwrap_err(),
            [(
                1,
                1,
                "row 1, column A: the header \"title\" is not a column of the template, which lacks plan, commitment, activity, progress; start from `shafaf report template`".into()
            )]
        );
    }

    #[test]
    fn a_header_that_lacks_columns_is_named_at_its_edited_cell() {
        let text = "plan,commitment,activity,progres\n";
        assert_eq!(
            read_back(text.as_bytes()).unwrap_err(),
            [(
                1,
                4,
                "row 1, column D: the header \"progres\" is not a column of the template, which lacks progress; start from `shafaf report template`".into()
            )]
        );
        let text = "x\n,plan,commitment,activity\n";
        assert_eq!(
            read_back(text.as_bytes()).unwrap_err(),
            [(2, 1, "row 2, column A: the header row lacks the columns progress; start from `shafaf report template`".into())]
        );
        let (mut problems, header) = (Diagnostics::default(), cells(&["plan", "commitment", "activity", "progress", "extra"]));
        assert_eq!(check_header("f", Some("S"), 2, &header, &columns(), &mut problems), Some(()));
        assert!(problems.is_empty());
    }

    #[test]
    fn the_separator_is_the_more_frequent_of_comma_and_semicolon() {
        assert_eq!(separator("a;b,c\n").0, b',');
        assert_eq!(separator("a;b;c,d\r\n").0, b';');
        assert_eq!(separator("a,b;c;d").0, b';');
        // `sep=` takes one byte only; a longer one is not a separator line.
        assert_eq!(separator("sep=;;\na,b\n"), (b';', "sep=;;\na,b\n"));
        assert_eq!(separator("sep=\na,b\n"), (b',', "sep=\na,b\n"));
        assert_eq!(separator("sep=|\r\na|b\n"), (b'|', "a|b\n"));
    }

    #[test]
    fn files_that_cannot_be_a_round_are_refused_by_what_they_are() {
        let empty = "the file is empty; fill the file that `shafaf report template` wrote";
        for bytes in [&b""[..], b" \n\t", BOM.as_bytes()] {
            assert_eq!(read_back(bytes).unwrap_err(), [(1, 1, empty.into())], "{bytes:?}");
        }
        assert_eq!(read_back(b"\xef\xbb\xbf\n").unwrap_err(), [(1, 1, empty.into())]);
        assert_eq!(read_back(b"plan,\xe9t\xe9\n").unwrap_err(), [(1, 1, NOT_UTF8.into())]);
        let old = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
        assert_eq!(
            read_back(&old).unwrap_err(),
            [(1, 1, "the file is an old-format .xls workbook; open it and save it as \"Excel Workbook (.xlsx)\"".into())]
        );
        assert_eq!(
            read_back(b"PK\x03\x04 cut short").unwrap_err(),
            [(
                1,
                1,
                "the file is not a readable xlsx workbook (it may be damaged or cut short); save it again from the spreadsheet".into()
            )]
        );
        // Exactly the limit is read (here: refused for its header), one byte more is not.
        let mut big = b"plan,commitment,activity,progress\n".to_vec();
        big.resize(MAX_BYTES, b'\n');
        assert!(read_back(&big).is_ok());
        big.push(b'\n');
        assert_eq!(
            read_back(&big).unwrap_err(),
            [(
                1,
                1,
                "the file is 10.0 MB, far more than a reporting round needs (at most 10 MB); start from a new `shafaf report template`"
                    .into()
            )]
        );
        assert_eq!(MAX_BYTES, 10 * 1024 * 1024);
    }

    /// A workbook made in the test, as Excel would save it.
    fn book(fill: impl FnOnce(&mut rust_xlsxwriter::Workbook)) -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        fill(&mut book);
        book.save_to_buffer().unwrap()
    }

    fn header(sheet: &mut rust_xlsxwriter::Worksheet, row: u32) {
        for (col, name) in columns().iter().enumerate() {
            sheet.write_string(row, col as u16, format!("Étiquette\n{name}")).unwrap();
        }
    }

    #[test]
    fn a_workbook_is_read_from_the_first_sheet_with_the_header_and_cells_as_typed() {
        use rust_xlsxwriter::{ExcelDateTime, Format, Formula};
        let bytes = book(|book| {
            book.add_worksheet().set_name("Notes").unwrap().write_string(0, 0, "nothing here").unwrap();
            let sheet = book.add_worksheet().set_name("Rapport").unwrap();
            sheet.write_string(0, 0, "Rapport 2026").unwrap();
            header(sheet, 2);
            sheet.write_string(3, 0, "2024-2027").unwrap();
            sheet.write_number(3, 1, 3).unwrap();
            sheet.write_boolean(3, 2, true).unwrap();
            sheet.write_number_with_format(3, 3, 0.405, &Format::new().set_num_format("0.0%")).unwrap();
            sheet.write_string(4, 0, "").unwrap();
            sheet
                .write_datetime_with_format(
                    5,
                    0,
                    ExcelDateTime::from_ymd(2027, 6, 30).unwrap(),
                    &Format::new().set_num_format("yyyy-mm-dd"),
                )
                .unwrap();
            sheet.write_formula(5, 1, Formula::new("=1+3").set_result("4")).unwrap();
            sheet.write_boolean(5, 2, false).unwrap();
            sheet.write_number(5, 3, 40.5).unwrap();
        });
        let (sheet, header, rows) = read_back(&bytes).unwrap();
        assert_eq!(sheet.as_deref(), Some("Rapport"));
        assert_eq!(header, columns());
        assert_eq!(rows, [(4, cells(&["2024-2027", "3", "TRUE", "40.5"])), (6, cells(&["2027-06-30", "4", "FALSE", "40.5"]))]);
    }

    #[test]
    fn workbook_problems_are_named_at_their_cells() {
        use rust_xlsxwriter::Format;
        let bytes = book(|book| {
            let sheet = book.add_worksheet().set_name("R").unwrap();
            header(sheet, 0);
            sheet.merge_range(2, 1, 3, 2, "merged", &Format::new()).unwrap();
        });
        assert_eq!(
            read_back(&bytes).unwrap_err(),
            [(3, 2, "sheet \"R\", cells B3:C4 are merged; unmerge them so that each cell holds its own value".into())]
        );

        let outlying = |row: u32, col: u16| {
            read_back(&book(|book| {
                let sheet = book.add_worksheet().set_name("R").unwrap();
                header(sheet, 0);
                sheet.write_string(row, col, "x").unwrap();
            }))
        };
        assert!(outlying(MAX_ROWS - 1, 0).is_ok());
        assert!(outlying(1, MAX_COLUMNS as u16 - 1).is_ok());
        let far = |at: &str| format!("{at} lies far outside the template (50000 rows of 100 columns at most); delete what it holds");
        assert_eq!(outlying(MAX_ROWS, 0).unwrap_err(), [(1, 1, far("sheet \"R\", cell A50001"))]);
        assert_eq!(outlying(1, MAX_COLUMNS as u16).unwrap_err(), [(1, 1, far("sheet \"R\", cell CW2"))]);
    }

    #[test]
    fn every_cell_holding_an_error_is_named_and_no_table_is_returned() {
        use rust_xlsxwriter::Formula;
        let bytes = book(|book| {
            let sheet = book.add_worksheet().set_name("R").unwrap();
            sheet.write_string(0, 0, "Rapport").unwrap();
            header(sheet, 1);
            sheet.write_string(2, 0, "2024-2027").unwrap();
            sheet.write_formula(4, 2, Formula::new("=1/0").set_result("#DIV/0!")).unwrap();
            sheet.write_formula(5, 3, Formula::new("=NA()").set_result("#N/A")).unwrap();
        });
        // (A formula with no saved result at all, which rust_xlsxwriter cannot write, is
        // tests/report_xlsx.rs' `every_bad_spreadsheet_is_refused_with_one_sentence_naming_its_cell`.)
        assert_eq!(
            read_back(&bytes).unwrap_err(),
            [
                (5, 3, "sheet \"R\", cell C5: the cell holds the error #DIV/0!; type a value".into()),
                (6, 4, "sheet \"R\", cell D6: the cell holds the error #N/A; type a value".into())
            ]
        );
    }

    #[test]
    fn a_workbook_without_the_header_is_named_by_its_first_filled_row() {
        let bytes = book(|book| {
            book.add_worksheet();
        });
        assert_eq!(
            read_back(&bytes).unwrap_err(),
            [(1, 1, "the workbook is empty; fill the file that `shafaf report template` wrote".into())]
        );
        let bytes = book(|book| {
            book.add_worksheet();
            let sheet = book.add_worksheet().set_name("R").unwrap();
            sheet.write_string(3, 1, "plan").unwrap();
            sheet.write_string(3, 2, "commitment").unwrap();
            sheet.write_string(3, 3, "activity").unwrap();
            sheet.write_string(20, 0, "progress").unwrap();
        });
        // Row 4 holds three names: the header is found, and lacks `progress`.
        assert_eq!(
            read_back(&bytes).unwrap_err(),
            [(4, 1, "sheet \"R\", cell A4: the header row lacks the columns progress; start from `shafaf report template`".into())]
        );
        let bytes = book(|book| {
            let sheet = book.add_worksheet().set_name("R").unwrap();
            sheet.write_string(14, 2, "plan").unwrap();
            sheet.write_string(14, 3, "x").unwrap();
        });
        assert_eq!(
            read_back(&bytes).unwrap_err(),
            [(
                15,
                4,
                "sheet \"R\", cell D15: the header \"x\" is not a column of the template, which lacks commitment, activity, progress; start from `shafaf report template`".into()
            )]
        );
    }

    #[test]
    fn numbers_percentages_and_dates_read_as_typed() {
        assert_eq!(plain_text(&Data::Float(0.4), true).as_deref(), Ok("40"));
        assert_eq!(plain_text(&Data::Float(0.4), false).as_deref(), Ok("0.4"));
        assert_eq!(plain_text(&Data::Float(12.3456789012), false).as_deref(), Ok("12.345678901"));
        assert_eq!(plain_text(&Data::Int(7), true).as_deref(), Ok("700"));
        assert_eq!(plain_text(&Data::Bool(false), false).as_deref(), Ok("FALSE"));
        assert_eq!(plain_text(&Data::Empty, false).as_deref(), Ok(""));
        assert_eq!(plain_text(&Data::DateTimeIso("2027-06-30T10:00:00".into()), false).as_deref(), Ok("2027-06-30"));
        assert_eq!(plain_text(&Data::DurationIso("PT1H".into()), false).as_deref(), Ok("PT1H"));
        assert_eq!(
            plain_text(&Data::Error(calamine::CellErrorType::Div0), false),
            Err("the cell holds the error #DIV/0!; type a value".into())
        );
        let date = calamine::ExcelDateTime::new(46568.75, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(plain_text(&Data::DateTime(date), false).as_deref(), Ok("2027-06-30"));
        let duration = calamine::ExcelDateTime::new(1.5, calamine::ExcelDateTimeType::TimeDelta, false);
        assert_eq!(plain_text(&Data::DateTime(duration), false).as_deref(), Ok("1.5"));
        let before = calamine::ExcelDateTime::new(-1.0, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(plain_text(&Data::DateTime(before), false), Err("the date is out of range".into()));
        assert_eq!(excel_date(1.0).as_deref(), Some("1899-12-31"));
    }
}
