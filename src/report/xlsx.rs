//! The reporting template as an xlsx workbook, written with rust_xlsxwriter: what a
//! ministry desk opens in Excel with French or Arabic settings, where a CSV would land
//! in one column. The same columns and meaning as the CSV; the sheet guides the hand
//! that fills it: the facts are locked and shaded, the cells to fill are open and say
//! what goes in them, and a second sheet explains the round in Arabic and French.
//!
//! The output is deterministic: the document's creation date is the round's as-of date,
//! and rust_xlsxwriter stamps no time in the archive.

use anyhow::{Context, Result};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationRule, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Workbook,
    Worksheet,
};

use super::{Cell, Round};

/// Names of the two sheets; the import finds the data sheet by its header row, so a
/// renamed sheet still imports.
pub const DATA_SHEET: &str = "Rapport - تقرير";
const HELP_SHEET: &str = "Instructions - تعليمات";

/// The row of the header (0-based): a title row sits above it.
const HEADER_ROW: u32 = 1;

/// The workbook of a round, as bytes.
pub fn write(round: &Round) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    book.set_properties(&properties(round)?);
    let formats = Formats::new();
    let sheet = book.add_worksheet();
    sheet.set_name(DATA_SHEET)?;
    data_sheet(sheet, round, &formats)?;
    let help = book.add_worksheet();
    help.set_name(HELP_SHEET)?;
    help_sheet(help, &formats)?;
    book.save_to_buffer().context("writing the xlsx template")
}

/// Title, subject and creation date: the plan(s) and the institution show in Excel's
/// file properties and in the file lists of shared drives.
fn properties(round: &Round) -> Result<DocProperties> {
    let date = round.as_of;
    let created = ExcelDateTime::from_ymd(u16::try_from(chrono::Datelike::year(&date)).context("the as-of year")?, month(date), day(date))?;
    Ok(DocProperties::new()
        .set_title(round.title())
        .set_subject(format!("Rapport d'avancement au {date} / تقرير التقدم إلى غاية {date}"))
        .set_company(round.institution.as_ref().and_then(|name| name.get("fr")).unwrap_or_default())
        .set_keywords(round.plans.join(", "))
        .set_comment("shafaf report template")
        .set_creation_datetime(&created))
}

fn month(date: chrono::NaiveDate) -> u8 {
    u8::try_from(chrono::Datelike::month(&date)).unwrap_or(1)
}

fn day(date: chrono::NaiveDate) -> u8 {
    u8::try_from(chrono::Datelike::day(&date)).unwrap_or(1)
}

/// The cell styles, made once.
struct Formats {
    title: Format,
    header: Format,
    locked: Format,
    locked_rtl: Format,
    open: Format,
    open_rtl: Format,
    open_date: Format,
    help: Format,
    help_rtl: Format,
}

impl Formats {
    fn new() -> Formats {
        let shade = Color::RGB(0xE7E6E6);
        let locked = Format::new().set_background_color(shade).set_border(FormatBorder::Thin).set_border_color(Color::RGB(0xBFBFBF));
        let open = Format::new().set_unlocked().set_border(FormatBorder::Thin).set_border_color(Color::RGB(0xBFBFBF));
        let rtl = |f: &Format| f.clone().set_reading_direction(2).set_align(FormatAlign::Right);
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(Color::RGB(0x1F4E79))
                .set_font_color(Color::White)
                .set_border(FormatBorder::Thin),
            locked_rtl: rtl(&locked.clone().set_text_wrap()),
            locked: locked.set_text_wrap(),
            open_rtl: rtl(&open.clone().set_text_wrap()),
            // A typed date shows as 2027-06-30, the way the import reads it.
            open_date: open.clone().set_num_format("yyyy-mm-dd"),
            open: open.set_text_wrap(),
            help: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            help_rtl: Format::new().set_text_wrap().set_align(FormatAlign::Top).set_reading_direction(2).set_align(FormatAlign::Right),
        }
    }
}

fn data_sheet(sheet: &mut Worksheet, round: &Round, formats: &Formats) -> Result<()> {
    sheet.write_string_with_format(0, 0, round.title(), &formats.title)?;
    sheet.set_row_height(HEADER_ROW, 48)?;
    for (col, name) in round.columns.iter().enumerate() {
        let col = u16::try_from(col).context("too many columns")?;
        let (ar, fr) = label(name);
        // Arabic and French for people, the column's own name last for the import.
        sheet.write_string_with_format(HEADER_ROW, col, format!("{ar}\n{fr}\n{name}"), &formats.header)?;
    }
    for (i, row) in round.rows.iter().enumerate() {
        let r = HEADER_ROW + 1 + u32::try_from(i).context("too many rows")?;
        for (col, (name, cell)) in round.columns.iter().zip(round.cells(row)).enumerate() {
            let col = u16::try_from(col).context("too many columns")?;
            let format = cell_format(name, &round.right_to_left, formats);
            match cell {
                Cell::Text(text) if !text.is_empty() => sheet.write_string_with_format(r, col, text, format)?,
                Cell::Number(n) => sheet.write_number_with_format(r, col, n, format)?,
                _ => sheet.write_blank(r, col, format)?,
            };
        }
    }
    widths(sheet, round)?;
    validations(sheet, round)?;
    sheet.set_freeze_panes(HEADER_ROW + 1, 3)?;
    // No password: the lock prevents slips in the facts the import checks, not attacks.
    sheet.protect();
    sheet.set_active(true);
    Ok(())
}

/// The columns an institution fills; every other one is a fact, locked.
fn is_open(column: &str) -> bool {
    column == "new_progress"
        || column == "evidence_url"
        || column == "new_end"
        || column.starts_with("note_")
        || column.starts_with("new_end_reason_")
}

fn cell_format<'f>(column: &str, right_to_left: &[String], formats: &'f Formats) -> &'f Format {
    let rtl = column.rsplit_once('_').is_some_and(|(_, lang)| right_to_left.iter().any(|l| l == lang));
    match (is_open(column), rtl) {
        (true, _) if column == "new_end" => &formats.open_date,
        (true, true) => &formats.open_rtl,
        (true, false) => &formats.open,
        (false, true) => &formats.locked_rtl,
        (false, false) => &formats.locked,
    }
}

/// Widths that fit the content: narrow for ids and dates, wide (and wrapped) for text.
fn widths(sheet: &mut Worksheet, round: &Round) -> Result<()> {
    for (col, name) in round.columns.iter().enumerate() {
        let longest = round.rows.iter().map(|row| round.cells(row).nth(col).map_or(0, |c| c.width())).max().unwrap_or(0);
        let label_width = {
            let (ar, fr) = label(name);
            [ar.chars().count(), fr.chars().count(), name.len()].into_iter().max().unwrap_or(0)
        };
        let wanted = if is_open(name) && (name.starts_with("note_") || name.starts_with("new_end_reason_")) { 40 } else { longest + 2 };
        let width = wanted.max(label_width + 2).clamp(8, 60);
        sheet.set_column_width(u16::try_from(col).context("too many columns")?, width as f64)?;
    }
    Ok(())
}

/// What Excel checks as the cells are typed, with a message saying what goes there.
fn validations(sheet: &mut Worksheet, round: &Round) -> Result<()> {
    let first = HEADER_ROW + 1;
    let last = HEADER_ROW + u32::try_from(round.rows.len().max(1)).context("too many rows")?;
    for (col, name) in round.columns.iter().enumerate() {
        let c = u16::try_from(col).context("too many columns")?;
        let cell = format!("{}{}", super::table::column_letter(col), first + 1);
        let validation = match name.as_str() {
            "new_progress" => DataValidation::new()
                .allow_whole_number(DataValidationRule::Between(0, 100))
                .set_input_title("Avancement / نسبة الإنجاز")?
                .set_input_message("Nombre entier de 0 à 100, à la date du rapport.\nعدد صحيح من 0 إلى 100، في تاريخ التقرير.")?
                .set_error_message("Un nombre entier de 0 à 100.\nعدد صحيح من 0 إلى 100.")?,
            "new_end" => DataValidation::new()
                .allow_custom(Formula::new(format!("=OR(ISNUMBER({cell}),AND(OR(LEN({cell})=7,LEN({cell})=10),MID({cell},5,1)=\"-\"))")))
                .set_input_title("Nouvelle fin / النهاية الجديدة")?
                .set_input_message(
                    "Seulement si le report a été décidé : une date ou AAAA-MM, avec le motif.\nفقط إذا تقرر التأجيل: تاريخ أو YYYY-MM، مع ذكر السبب.",
                )?
                .set_error_message("Une date, ou AAAA-MM (2027-06).\nتاريخ، أو YYYY-MM (2027-06).")?,
            "evidence_url" => DataValidation::new()
                .allow_custom(Formula::new(format!("=LEFT({cell},4)=\"http\"")))
                .set_input_title("Justificatif / الإثبات")?
                .set_input_message("Adresse d'une page publiée, commençant par https://\nعنوان صفحة منشورة يبدأ بـ https://")?
                .set_error_message("Une adresse commençant par http.\nعنوان يبدأ بـ http.")?,
            _ => continue,
        };
        sheet.add_data_validation(first, c, last, c, &validation)?;
    }
    Ok(())
}

/// A column's label in Arabic and in French.
fn label(column: &str) -> (String, String) {
    let per_language = |ar: &str, fr: &str, lang: &str| {
        let (lang_ar, lang_fr) = language_name(lang);
        (format!("{ar} ({lang_ar})"), format!("{fr} ({lang_fr})"))
    };
    let fixed = |ar: &str, fr: &str| (ar.to_string(), fr.to_string());
    match column.rsplit_once('_') {
        Some(("title", lang)) => per_language("عنوان النشاط", "Intitulé de l'activité", lang),
        Some(("note", lang)) => per_language("ملاحظة", "Note", lang),
        Some(("new_end_reason", lang)) => per_language("سبب تغيير تاريخ النهاية", "Motif du changement de fin", lang),
        _ => match column {
            "plan" => fixed("الخطة", "Plan"),
            "commitment" => fixed("الالتزام", "Engagement"),
            "activity" => fixed("رقم النشاط", "N° d'activité"),
            "start" => fixed("تاريخ البداية", "Début"),
            "end" => fixed("تاريخ النهاية المقرر", "Fin prévue"),
            "current_end" => fixed("تاريخ النهاية الحالي", "Fin actuelle"),
            "last_report" => fixed("تاريخ آخر تقرير", "Dernier rapport"),
            "progress" => fixed("نسبة الإنجاز الحالية (%)", "Avancement actuel (%)"),
            "new_progress" => fixed("نسبة الإنجاز الجديدة (%)", "Nouvel avancement (%)"),
            "evidence_url" => fixed("رابط الإثبات", "Lien du justificatif"),
            "new_end" => fixed("تاريخ النهاية الجديد", "Nouvelle fin"),
            other => fixed(other, other),
        },
    }
}

/// "in Arabic", "in French": the language of a per-language column.
fn language_name(code: &str) -> (String, String) {
    let (ar, fr) = match code {
        "ar" => ("بالعربية", "en arabe"),
        "fr" => ("بالفرنسية", "en français"),
        "zgh" => ("بالأمازيغية", "en amazighe"),
        "en" => ("بالإنجليزية", "en anglais"),
        "es" => ("بالإسبانية", "en espagnol"),
        other => (other, other),
    };
    (ar.to_string(), fr.to_string())
}

/// The round explained, each step in Arabic (right to left) beside the French.
const HELP: &[(&str, &str)] = &[
    ("كيفية ملء هذا الجدول", "Comment remplir ce tableau"),
    (
        "يتضمن كل سطر من ورقة «تقرير» نشاطًا واحدًا من أنشطة الالتزامات. الأعمدة الرمادية مقفلة وللقراءة فقط: فهي تحدد النشاط ووضعيته الحالية.",
        "Chaque ligne de la feuille « Rapport » est une activité d'un engagement. Les colonnes grisées sont verrouillées et en lecture seule : elles identifient l'activité et son état actuel.",
    ),
    (
        "نسبة الإنجاز الجديدة: عدد صحيح من 0 إلى 100، كما هي في تاريخ التقرير. اتركوا الخانة فارغة إذا لم يكن هناك جديد بخصوص النشاط.",
        "Nouvel avancement : un nombre entier de 0 à 100, à la date du rapport. Laissez la cellule vide si rien n'a changé pour l'activité.",
    ),
    (
        "ملاحظة: ما أُنجز منذ التقرير السابق، بالعربية وبالفرنسية. تتطلب الملاحظة ورابط الإثبات نسبة إنجاز جديدة في السطر نفسه.",
        "Note : ce qui a été fait depuis le rapport précédent, en arabe et en français. Une note et un lien de justificatif demandent un nouvel avancement sur la même ligne.",
    ),
    (
        "رابط الإثبات: عنوان صفحة منشورة يبدأ بـ https:// (محضر اجتماع، تقرير، صفحة على موقع المؤسسة).",
        "Lien du justificatif : l'adresse d'une page publiée, commençant par https:// (procès-verbal, rapport, page du site de l'institution).",
    ),
    (
        "تاريخ النهاية الجديد: فقط إذا تقرر تأجيل النشاط، على شكل تاريخ أو YYYY-MM، مع ذكر السبب باللغتين. يبقى تاريخ النهاية الأصلي ظاهرًا في البوابة.",
        "Nouvelle fin : seulement si le report de l'activité a été décidé, sous forme de date ou AAAA-MM, avec le motif dans les deux langues. La fin prévue à l'origine reste visible sur le portail.",
    ),
    (
        "احفظوا الملف بصيغة xlsx وأعيدوه إلى فريق البوابة. لا تضيفوا أعمدة، ولا تدمجوا الخانات، ولا تكتبوا صيغًا حسابية.",
        "Enregistrez le fichier au format xlsx et renvoyez-le à l'équipe du portail. N'ajoutez pas de colonnes, ne fusionnez pas de cellules et n'écrivez pas de formules.",
    ),
    (
        "تُستورد التقارير بتاريخ الجولة دفعة واحدة: إذا كان في الجدول خطأ واحد، لا يُغيَّر أي شيء، وتتوصلون بقائمة الخانات المعنية (مثلاً K14).",
        "Les rapports sont importés ensemble, à la date de la campagne : si le tableau contient une seule erreur, rien n'est modifié et vous recevez la liste des cellules concernées (par exemple K14).",
    ),
];

fn help_sheet(sheet: &mut Worksheet, formats: &Formats) -> Result<()> {
    sheet.set_column_width(0, 70)?;
    sheet.set_column_width(1, 70)?;
    for (i, (ar, fr)) in HELP.iter().enumerate() {
        let row = u32::try_from(i).context("too many rows")?;
        let (ar_format, fr_format) = if i == 0 { (&formats.title, &formats.title) } else { (&formats.help_rtl, &formats.help) };
        sheet.write_string_with_format(row, 0, *ar, ar_format)?;
        sheet.write_string_with_format(row, 1, *fr, fr_format)?;
    }
    sheet.protect();
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use calamine::{Data, HorizontalAlignment, Reader, Xlsx};

    use super::*;
    use crate::model::{Date, Text};
    use crate::report::TemplateRow;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    /// A round of two activities in Arabic and French, for an institution, over two plans.
    fn round() -> Round {
        let languages: Vec<String> = ["ar", "fr"].map(String::from).to_vec();
        let row = |activity: usize, titles: [&str; 2], last_report: Option<&str>, progress: Option<f64>| TemplateRow {
            plan: "2024-2027".into(),
            commitment: "open-data".into(),
            activity,
            titles: titles.map(String::from).to_vec(),
            start: date("2024-09"),
            end: date("2025-06"),
            current_end: date("2025-12-31"),
            last_report: last_report.map(date),
            progress,
        };
        Round {
            plans: vec!["2024-2027".into(), "local-2025".into()],
            institution: Some([("ar", "وكالة التنمية الرقمية"), ("fr", "Agence du digital")].into_iter().collect::<Text>()),
            as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 5).unwrap(),
            columns: crate::report::header(&languages),
            right_to_left: vec!["ar".into()],
            languages,
            rows: vec![
                row(1, ["نشر البيانات", "Publier les données"], Some("2025-03-15"), Some(40.5)),
                row(2, ["", "Sans titre en arabe"], None, None),
            ],
        }
    }

    fn open(bytes: &[u8]) -> Xlsx<Cursor<&[u8]>> {
        Xlsx::new(Cursor::new(bytes)).unwrap()
    }

    /// The sheet's cells, row by row from A1, as calamine reads them.
    fn grid(book: &mut Xlsx<Cursor<&[u8]>>, sheet: &str) -> Vec<Vec<Data>> {
        let range = book.worksheet_range(sheet).unwrap();
        assert_eq!(range.start(), Some((0, 0)));
        range.rows().map(|row| row.to_vec()).collect()
    }

    fn text(s: &str) -> Data {
        Data::String(s.to_string())
    }

    #[test]
    fn the_data_sheet_holds_the_title_the_labelled_header_and_a_row_per_activity() {
        let round = round();
        let bytes = write(&round).unwrap();
        let mut book = open(&bytes);
        assert_eq!(book.sheet_names(), [DATA_SHEET, HELP_SHEET]);
        let rows = grid(&mut book, DATA_SHEET);
        assert_eq!(rows.len(), 4, "title, header, two activities");
        let title = "Rapport d'avancement — 2024-2027, local-2025 — Agence du digital / تقرير التقدم — 2024-2027, local-2025 — وكالة التنمية الرقمية";
        assert_eq!(rows[0][0], text(title));
        assert!(rows[0][1..].iter().all(|c| *c == Data::Empty));
        let header: Vec<String> = rows[1].iter().map(|c| c.to_string()).collect();
        assert_eq!(header.len(), 17);
        assert_eq!(header[0], "الخطة\nPlan\nplan");
        assert_eq!(header[3], "عنوان النشاط (بالعربية)\nIntitulé de l'activité (en arabe)\ntitle_ar");
        assert_eq!(header[16], "سبب تغيير تاريخ النهاية (بالفرنسية)\nMotif du changement de fin (en français)\nnew_end_reason_fr");
        let blank = |n: usize| vec![Data::Empty; n];
        let mut first = vec![text("2024-2027"), text("open-data"), Data::Float(1.0), text("نشر البيانات"), text("Publier les données")];
        first.extend([text("2024-09"), text("2025-06"), text("2025-12-31"), text("2025-03-15"), Data::Float(40.5)]);
        first.extend(blank(7));
        assert_eq!(rows[2], first);
        let mut second = vec![text("2024-2027"), text("open-data"), Data::Float(2.0), Data::Empty, text("Sans titre en arabe")];
        second.extend([text("2024-09"), text("2025-06"), text("2025-12-31")]);
        second.extend(blank(9));
        assert_eq!(rows[3], second);
    }

    #[test]
    fn the_document_properties_name_the_round_its_plans_and_institution_on_its_as_of_date() {
        let bytes = write(&round()).unwrap();
        let properties = open(&bytes).workbook_properties().unwrap();
        assert_eq!(properties.title.as_deref(), Some(round().title().as_str()));
        assert_eq!(properties.subject.as_deref(), Some("Rapport d'avancement au 2026-11-05 / تقرير التقدم إلى غاية 2026-11-05"));
        assert_eq!(properties.company.as_deref(), Some("Agence du digital"));
        assert_eq!(properties.keywords.as_deref(), Some("2024-2027, local-2025"));
        assert_eq!(properties.description.as_deref(), Some("shafaf report template"));
        assert_eq!(properties.created.as_deref(), Some("2026-11-05T00:00:00Z"), "the as-of date, not the time of writing");
        assert_eq!(write(&round()).unwrap(), bytes, "the same round gives the same bytes");
    }

    /// How a cell shows: (locked, shaded grey, aligned right, the number format).
    fn look(styles: &calamine::StyleRange, row: u32, col: u32) -> (bool, bool, bool, String) {
        let style = styles.get((row, col)).cloned().unwrap_or_default();
        let locked = style.protection.is_none_or(|p| p.locked);
        let shaded = style.fill.and_then(|f| f.get_color()).is_some_and(|c| c.to_argb() & 0xFF_FFFF == 0xE7E6E6);
        let right = style.alignment.is_some_and(|a| a.horizontal == HorizontalAlignment::Right);
        (locked, shaded, right, style.number_format.map(|f| f.format_code).unwrap_or_default())
    }

    #[test]
    fn facts_are_locked_and_shaded_cells_to_fill_are_open_and_right_to_left_texts_align_right() {
        let round = round();
        let bytes = write(&round).unwrap();
        let styles = open(&bytes).worksheet_style(DATA_SHEET).unwrap();
        let seen: Vec<(&str, (bool, bool, bool, String))> =
            round.columns.iter().enumerate().map(|(col, name)| (name.as_str(), look(&styles, 3, col as u32))).collect();
        let fact = |right: bool| (true, true, right, "General".to_string());
        let to_fill = |right: bool| (false, false, right, "General".to_string());
        let expected = [
            ("plan", fact(false)),
            ("commitment", fact(false)),
            ("activity", fact(false)),
            ("title_ar", fact(true)),
            ("title_fr", fact(false)),
            ("start", fact(false)),
            ("end", fact(false)),
            ("current_end", fact(false)),
            ("last_report", fact(false)),
            ("progress", fact(false)),
            ("new_progress", to_fill(false)),
            ("note_ar", to_fill(true)),
            ("note_fr", to_fill(false)),
            ("evidence_url", to_fill(false)),
            ("new_end", (false, false, false, "yyyy-mm-dd".to_string())),
            ("new_end_reason_ar", to_fill(true)),
            ("new_end_reason_fr", to_fill(false)),
        ];
        assert_eq!(seen, expected);
        // The filled rows look the same as the blank ones.
        for col in 0..round.columns.len() as u32 {
            assert_eq!(look(&styles, 2, col), look(&styles, 3, col), "column {col}");
        }
        let bold = |row: u32, col: u32| styles.get((row, col)).and_then(|s| s.font.as_ref()).is_some_and(|f| f.is_bold());
        assert!(bold(0, 0) && bold(1, 0) && bold(1, 16), "the title and the header are bold");
        assert!(!bold(2, 0));
    }

    #[test]
    fn the_help_sheet_explains_the_round_in_arabic_beside_french() {
        let bytes = write(&round()).unwrap();
        let mut book = open(&bytes);
        let rows = grid(&mut book, HELP_SHEET);
        let expected: Vec<Vec<Data>> = HELP.iter().map(|(ar, fr)| vec![text(ar), text(fr)]).collect();
        assert_eq!(rows, expected);
        let styles = book.worksheet_style(HELP_SHEET).unwrap();
        let look = |row: u32, col: u32| {
            let style = styles.get((row, col)).cloned().unwrap_or_default();
            let bold = style.font.is_some_and(|f| f.is_bold());
            (bold, style.alignment.is_some_and(|a| a.horizontal == HorizontalAlignment::Right))
        };
        assert_eq!((look(0, 0), look(0, 1)), ((true, false), (true, false)), "the title row");
        for row in 1..HELP.len() as u32 {
            assert_eq!((look(row, 0), look(row, 1)), ((false, true), (false, false)), "row {row}: Arabic from the right");
        }
    }

    #[test]
    fn every_column_is_labelled_in_arabic_and_french() {
        let cases = [
            ("plan", "الخطة", "Plan"),
            ("commitment", "الالتزام", "Engagement"),
            ("activity", "رقم النشاط", "N° d'activité"),
            ("start", "تاريخ البداية", "Début"),
            ("end", "تاريخ النهاية المقرر", "Fin prévue"),
            ("current_end", "تاريخ النهاية الحالي", "Fin actuelle"),
            ("last_report", "تاريخ آخر تقرير", "Dernier rapport"),
            ("progress", "نسبة الإنجاز الحالية (%)", "Avancement actuel (%)"),
            ("new_progress", "نسبة الإنجاز الجديدة (%)", "Nouvel avancement (%)"),
            ("evidence_url", "رابط الإثبات", "Lien du justificatif"),
            ("new_end", "تاريخ النهاية الجديد", "Nouvelle fin"),
            ("title_ar", "عنوان النشاط (بالعربية)", "Intitulé de l'activité (en arabe)"),
            ("title_fr", "عنوان النشاط (بالفرنسية)", "Intitulé de l'activité (en français)"),
            ("note_zgh", "ملاحظة (بالأمازيغية)", "Note (en amazighe)"),
            ("note_en", "ملاحظة (بالإنجليزية)", "Note (en anglais)"),
            ("new_end_reason_es", "سبب تغيير تاريخ النهاية (بالإسبانية)", "Motif du changement de fin (en espagnol)"),
            ("title_de", "عنوان النشاط (de)", "Intitulé de l'activité (de)"),
            ("remarks", "remarks", "remarks"),
        ];
        for (column, ar, fr) in cases {
            assert_eq!(label(column), (ar.to_string(), fr.to_string()), "{column}");
        }
    }
}
