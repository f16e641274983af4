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
