//! Inline SVG charts, drawn in Rust so pages need no JavaScript: the activity timeline
//! (a Gantt chart with the `as_of` line) and small indicator bar charts. Colours come
//! from the stylesheet through classes, so print and high-contrast styles apply.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};

use crate::model::Status;

/// Escapes text for SVG/HTML content and attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// One bar of the timeline.
pub struct GanttBar {
    pub label: String,
    /// A full sentence for the bar's tooltip and screen readers.
    pub description: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub status: Status,
}

pub struct Gantt<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub bars: &'a [GanttBar],
    pub as_of: NaiveDate,
    pub as_of_label: &'a str,
    pub rtl: bool,
}

const WIDTH: f64 = 760.0;
const LABEL_WIDTH: f64 = 36.0;
const ROW: f64 = 20.0;
const HEADER: f64 = 26.0;
/// Room under the bars for the `as_of` label, so it never covers a bar.
const FOOTER: f64 = 18.0;

/// `text-anchor` for text that should extend rightwards from its `x` (`towards_right`)
/// or leftwards. The charts are drawn with `direction="ltr"` so coordinates and anchors
/// mean the same on every page; a label in a right-to-left language carries its own
/// `direction="rtl"`, where `start` is its right end.
fn anchor(towards_right: bool, rtl_text: bool) -> &'static str {
    match (towards_right, rtl_text) {
        (true, false) | (false, true) => "start",
        _ => "end",
    }
}

/// Attributes giving a text element the writing direction of its language.
fn text_dir(rtl: bool) -> &'static str {
    if rtl { r#" direction="rtl""# } else { "" }
}

/// Draws the timeline; time runs in the reading direction (right to left in Arabic).
/// Whether the timeline stretches to show the `as_of` line (it does when that date is
/// within a year of the activities; otherwise an arrow at the edge points to it).
pub fn as_of_on_chart(bars: &[GanttBar], as_of: NaiveDate) -> bool {
    match (bars.iter().map(|b| b.start).min(), bars.iter().map(|b| b.end).max()) {
        (Some(first), Some(last)) => (first.year() - 1..=last.year() + 1).contains(&as_of.year()),
        _ => false,
    }
}

/// The years a timeline's axis spans, whole: the activities', stretched to include the
/// as_of line when it is within a year of them; further away, an arrow at the edge
/// points to it.
struct Axis {
    from: NaiveDate,
    to: NaiveDate,
    rtl: bool,
}

impl Axis {
    fn of(chart: &Gantt) -> Option<Axis> {
        let first = chart.bars.iter().map(|b| b.start).min()?;
        let last = chart.bars.iter().map(|b| b.end).max()?;
        let near = as_of_on_chart(chart.bars, chart.as_of);
        let (first_year, last_year) =
            if near { (first.year().min(chart.as_of.year()), last.year().max(chart.as_of.year())) } else { (first.year(), last.year()) };
        let from = NaiveDate::from_ymd_opt(first_year, 1, 1).unwrap_or(first);
        let to = NaiveDate::from_ymd_opt(last_year, 12, 31).unwrap_or(last);
        Some(Axis { from, to, rtl: chart.rtl })
    }

    /// Where a date falls; time runs in the reading direction.
    fn x(&self, date: NaiveDate) -> f64 {
        let span = (self.to - self.from).num_days().max(1) as f64;
        let plot = WIDTH - LABEL_WIDTH - 8.0;
        let offset = LABEL_WIDTH + (date - self.from).num_days() as f64 / span * plot;
        if self.rtl { WIDTH - offset } else { offset }
    }
}

pub fn gantt(chart: &Gantt) -> String {
    let Some(axis) = Axis::of(chart) else { return String::new() };
    let bars_end = HEADER + ROW * chart.bars.len() as f64 + 4.0;
    let height = bars_end + FOOTER;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="gantt" viewBox="0 0 {WIDTH} {height}" width="100%" direction="ltr" role="img" aria-labelledby="{id}-t {id}-d" xmlns="http://www.w3.org/2000/svg"><title id="{id}-t">{title}</title><desc id="{id}-d">{desc}</desc>"#,
        id = chart.id,
        title = escape(chart.title),
        desc = escape(chart.description),
    );
    gantt_years(&mut svg, &axis, bars_end);
    gantt_bars(&mut svg, &axis, chart);
    gantt_as_of(&mut svg, &axis, chart, height);
    svg.push_str("</svg>");
    svg
}

/// A grid line and a label per year.
fn gantt_years(svg: &mut String, axis: &Axis, bars_end: f64) {
    for year in axis.from.year()..=axis.to.year() {
        let Some(jan) = NaiveDate::from_ymd_opt(year, 1, 1) else { continue };
        let Some(dec) = NaiveDate::from_ymd_opt(year, 12, 31) else { continue };
        let (a, b) = (axis.x(jan), axis.x(dec));
        let _ = write!(
            svg,
            r#"<line class="grid" x1="{a:.1}" y1="{HEADER}" x2="{a:.1}" y2="{bars_end}"/><text class="year" x="{mid:.1}" y="16" text-anchor="middle">{year}</text>"#,
            mid = (a + b) / 2.0,
        );
    }
}

/// A numbered row and a bar per activity.
fn gantt_bars(svg: &mut String, axis: &Axis, chart: &Gantt) {
    for (i, bar) in chart.bars.iter().enumerate() {
        let y = HEADER + ROW * i as f64;
        let (a, b) = (axis.x(bar.start), axis.x(bar.end + chrono::Days::new(1)));
        let (left, right) = (a.min(b), a.max(b));
        // Row numbers sit on the reading-start side: the right edge in Arabic.
        let label_x = if chart.rtl { WIDTH - 4.0 } else { 4.0 };
        let anchor = anchor(!chart.rtl, false);
        let _ = write!(
            svg,
            r#"<text class="row-label" x="{label_x}" y="{ty:.1}" text-anchor="{anchor}">{label}</text><rect class="bar s-{status}" x="{left:.1}" y="{by:.1}" width="{w:.1}" height="{bh}" rx="3"><title>{tip}</title></rect>"#,
            ty = y + 14.0,
            label = escape(&bar.label),
            status = bar.status.as_str().replace('_', "-"),
            by = y + 4.0,
            w = (right - left).max(2.0),
            bh = ROW - 8.0,
            tip = escape(&bar.description),
        );
    }
}

/// The as_of line with its label, or, when the date lies beyond the axis, its label at
/// that edge with an arrow pointing out.
fn gantt_as_of(svg: &mut String, axis: &Axis, chart: &Gantt, height: f64) {
    if chart.as_of >= axis.from && chart.as_of <= axis.to {
        let ax = axis.x(chart.as_of);
        // The label goes towards the middle of the chart, so it is never cut off.
        let towards_right = ax < WIDTH / 2.0;
        let tx = if towards_right { ax + 4.0 } else { ax - 4.0 };
        let _ = write!(
            svg,
            r#"<line class="as-of" x1="{ax:.1}" y1="20" x2="{ax:.1}" y2="{height}"/><text class="as-of-label" x="{tx:.1}" y="{ly}" text-anchor="{anchor}"{dir}>{label}</text>"#,
            ly = height - 5.0,
            anchor = anchor(towards_right, chart.rtl),
            dir = text_dir(chart.rtl),
            label = escape(chart.as_of_label),
        );
        return;
    }
    let later = chart.as_of > axis.to;
    let at_right = later != chart.rtl;
    let (tx, arrow_first, arrow) = if at_right { (WIDTH - 4.0, false, '→') } else { (4.0, true, '←') };
    // The arrow sits on the outer side, whichever way the label's language runs.
    let text = if arrow_first != chart.rtl { format!("{arrow} {}", chart.as_of_label) } else { format!("{} {arrow}", chart.as_of_label) };
    let _ = write!(
        svg,
        r#"<text class="as-of-label" x="{tx:.1}" y="{ly}" text-anchor="{anchor}"{dir}>{label}</text>"#,
        ly = height - 5.0,
        anchor = anchor(!at_right, chart.rtl),
        dir = text_dir(chart.rtl),
        label = escape(&text),
    );
}

/// One bar of an indicator chart.
pub struct Point {
    pub label: String,
    pub value: f64,
    pub value_label: String,
    /// `actual`, `target` or `forecast`, used as a class.
    pub kind: &'static str,
}

/// A small bar chart of an indicator's numeric values, in reading order.
pub fn indicator_chart(id: &str, title: &str, points: &[Point], rtl: bool) -> String {
    let max = points.iter().map(|p| p.value).fold(0.0_f64, f64::max).max(1.0);
    bar_chart(id, title, points, rtl, max, 64.0)
}

/// A commitment's progress at each report date, on a fixed 0-100 scale so that a
/// figure of 40 never looks like a full bar.
pub fn progress_chart(id: &str, title: &str, points: &[Point], rtl: bool) -> String {
    // Report dates are written in full ("1er septembre 2024"): wider slots.
    bar_chart(id, title, points, rtl, 100.0, 128.0)
}

/// Bars in the reading direction, each `value / max` of the plot's height.
fn bar_chart(id: &str, title: &str, points: &[Point], rtl: bool, max: f64, slot: f64) -> String {
    if points.is_empty() {
        return String::new();
    }
    let width = slot * points.len() as f64 + 16.0;
    let (top, plot) = (18.0, 100.0);
    let height = top + plot + 22.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="indicator-chart" viewBox="0 0 {width} {height}" width="{width}" direction="ltr" role="img" aria-labelledby="{id}-t" xmlns="http://www.w3.org/2000/svg"><title id="{id}-t">{title}</title><line class="axis" x1="4" y1="{base}" x2="{x2}" y2="{base}"/>"#,
        title = escape(title),
        base = top + plot,
        x2 = width - 4.0,
    );
    for (i, point) in points.iter().enumerate() {
        let slot_index = if rtl { points.len() - 1 - i } else { i };
        let cx = 8.0 + slot * slot_index as f64 + slot / 2.0;
        let h = (point.value.max(0.0) / max * plot).max(1.0);
        let _ = write!(
            svg,
            r#"<rect class="v-{kind}" x="{x:.1}" y="{y:.1}" width="{w}" height="{h:.1}"><title>{label}: {value}</title></rect><text class="value" x="{cx:.1}" y="{ty:.1}" text-anchor="middle">{value}</text><text class="label" x="{cx:.1}" y="{ly}" text-anchor="middle">{label}</text>"#,
            kind = point.kind,
            x = cx - slot * 0.3,
            y = top + plot - h,
            w = slot * 0.6,
            label = escape(&point.label),
            value = escape(&point.value_label),
            ty = top + plot - h - 4.0,
            ly = height - 6.0,
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn chart(rtl: bool) -> String {
        let bars = [GanttBar {
            label: "1".into(),
            description: "a < b".into(),
            start: day("2024-04-01"),
            end: day("2024-05-31"),
            status: Status::Delayed,
        }];
        gantt(&Gantt { id: "g", title: "T", description: "D", bars: &bars, as_of: day("2024-07-01"), as_of_label: "as of", rtl })
    }

    #[test]
    fn gantt_has_a_text_alternative_and_the_as_of_line() {
        let svg = chart(false);
        assert!(svg.contains(r#"role="img""#) && svg.contains("<title id=\"g-t\">T</title>") && svg.contains("<desc id=\"g-d\">D</desc>"));
        assert!(svg.contains("class=\"as-of\""));
        assert!(svg.contains("class=\"bar s-delayed\""));
        assert!(svg.contains("a &lt; b"));
    }

    #[test]
    fn time_runs_right_to_left_in_arabic() {
        let bar_x = |svg: &str| -> f64 {
            let at = svg.find("class=\"bar").unwrap();
            let rest = &svg[at..];
            let x = rest.find("x=\"").unwrap() + 3;
            rest[x..x + rest[x..].find('"').unwrap()].parse().unwrap()
        };
        // April 2024 is early in the year: near the left in French, near the right in Arabic.
        assert!(bar_x(&chart(false)) < WIDTH / 2.0);
        assert!(bar_x(&chart(true)) > WIDTH / 2.0);
    }

    #[test]
    fn labels_stay_inside_the_chart_in_both_directions() {
        // A fixed direction, so anchors mean the same on Arabic and French pages.
        assert!(chart(true).starts_with("<svg class=\"gantt\"") && chart(true).contains(r#"direction="ltr""#));
        // March 2024 is early in the year: in French the line is in the left half and the
        // label extends rightwards (start, left to right); in Arabic the line is in the
        // right half and the Arabic label extends leftwards, its start as well.
        let march = |rtl| {
            let bars = [GanttBar {
                label: "1".into(),
                description: "".into(),
                start: day("2024-04-01"),
                end: day("2024-05-31"),
                status: Status::Delayed,
            }];
            gantt(&Gantt { id: "g", title: "T", description: "D", bars: &bars, as_of: day("2024-03-01"), as_of_label: "as of", rtl })
        };
        let label = |svg: &str| svg[svg.find("class=\"as-of-label\"").unwrap()..].split('>').next().unwrap().to_string();
        assert!(label(&march(false)).contains(r#"text-anchor="start""#) && !label(&march(false)).contains("direction"));
        assert!(label(&march(true)).contains(r#"text-anchor="start""#) && label(&march(true)).contains(r#"direction="rtl""#));
        // Late in the year, both labels extend the other way.
        assert!(label(&chart(false)).contains(r#"text-anchor="end""#));
        assert!(label(&chart(true)).contains(r#"text-anchor="end""#));
        // Row numbers end at the right edge in Arabic, start at the left edge in French.
        assert!(chart(true).contains(r#"<text class="row-label" x="756" y="40.0" text-anchor="end">1</text>"#));
        assert!(chart(false).contains(r#"<text class="row-label" x="4" y="40.0" text-anchor="start">1</text>"#));
    }

    #[test]
    fn the_axis_reaches_a_close_as_of_date_and_points_to_a_far_one() {
        let bars = [GanttBar {
            label: "1".into(),
            description: "".into(),
            start: day("2024-04-01"),
            end: day("2024-05-31"),
            status: Status::Delayed,
        }];
        let draw = |as_of: &str, rtl| {
            gantt(&Gantt { id: "g", title: "T", description: "D", bars: &bars, as_of: day(as_of), as_of_label: "as of", rtl })
        };
        // Within a year after the last activity: the axis grows to 2025 and shows the line.
        let close = draw("2025-03-01", false);
        assert!(close.contains(">2025</text>") && close.contains("class=\"as-of\""));
        // Further away: no line, an arrow at the later edge instead.
        let far = draw("2026-11-01", false);
        assert!(!far.contains(">2026</text>") && !far.contains("class=\"as-of\""));
        assert!(far.contains(r#"x="756.0" y="63" text-anchor="end">as of →</text>"#), "{far}");
        // In Arabic the later edge is the left one, the arrow points left.
        let far_rtl = draw("2026-11-01", true);
        assert!(far_rtl.contains(r#"x="4.0" y="63" text-anchor="end" direction="rtl">as of ←</text>"#), "{far_rtl}");
    }

    #[test]
    fn the_five_markup_characters_are_escaped() {
        assert_eq!(escape(r#"R&D <b> "x" l'État"#), "R&amp;D &lt;b&gt; &quot;x&quot; l&#39;État");
    }

    /// Two activities of 2024 (a leap year: 365 days from 1 January to 31 December on a
    /// plot 716 wide from x = 36), each 73 days long, so each bar is 716 / 5 = 143.2
    /// wide: the first from 1 January, the second from 26 May (day 146, x = 36 + 286.4);
    /// `as_of` on 14 March (day 73).
    fn two_bars(rtl: bool) -> String {
        let bar = |label: &str, start: &str, end: &str, status| GanttBar {
            label: label.into(),
            description: format!("activity {label}"),
            start: day(start),
            end: day(end),
            status,
        };
        let bars = [bar("1", "2024-01-01", "2024-03-13", Status::Completed), bar("2", "2024-05-26", "2024-08-06", Status::InProgress)];
        gantt(&Gantt { id: "g", title: "T", description: "D", bars: &bars, as_of: day("2024-03-14"), as_of_label: "as of", rtl })
    }

    #[test]
    fn the_timeline_is_drawn_to_scale_in_both_directions() {
        // Two rows of 20 under a header of 26, 4 below them, then 18 for the as_of label.
        let head = r#"<svg class="gantt" viewBox="0 0 760 88" width="100%" direction="ltr" role="img" aria-labelledby="g-t g-d" xmlns="http://www.w3.org/2000/svg"><title id="g-t">T</title><desc id="g-d">D</desc>"#;
        assert_eq!(
            two_bars(false),
            [
                head,
                // The year's line at its start, its label in its middle ((36 + 752) / 2).
                r#"<line class="grid" x1="36.0" y1="26" x2="36.0" y2="70"/><text class="year" x="394.0" y="16" text-anchor="middle">2024</text>"#,
                r#"<text class="row-label" x="4" y="40.0" text-anchor="start">1</text><rect class="bar s-completed" x="36.0" y="30.0" width="143.2" height="12" rx="3"><title>activity 1</title></rect>"#,
                r#"<text class="row-label" x="4" y="60.0" text-anchor="start">2</text><rect class="bar s-in-progress" x="322.4" y="50.0" width="143.2" height="12" rx="3"><title>activity 2</title></rect>"#,
                // In the left half: the label starts 4 to the right of the line.
                r#"<line class="as-of" x1="179.2" y1="20" x2="179.2" y2="88"/><text class="as-of-label" x="183.2" y="83" text-anchor="start">as of</text></svg>"#,
            ]
            .concat()
        );
        // Mirrored: x becomes 760 - x, and the label, now in the right half, ends 4 to
        // the left of the line (its start, in a right-to-left label).
        assert_eq!(
            two_bars(true),
            [
                head,
                r#"<line class="grid" x1="724.0" y1="26" x2="724.0" y2="70"/><text class="year" x="366.0" y="16" text-anchor="middle">2024</text>"#,
                r#"<text class="row-label" x="756" y="40.0" text-anchor="end">1</text><rect class="bar s-completed" x="580.8" y="30.0" width="143.2" height="12" rx="3"><title>activity 1</title></rect>"#,
                r#"<text class="row-label" x="756" y="60.0" text-anchor="end">2</text><rect class="bar s-in-progress" x="294.4" y="50.0" width="143.2" height="12" rx="3"><title>activity 2</title></rect>"#,
                r#"<line class="as-of" x1="580.8" y1="20" x2="580.8" y2="88"/><text class="as-of-label" x="576.8" y="83" text-anchor="start" direction="rtl">as of</text></svg>"#,
            ]
            .concat()
        );
    }

    #[test]
    fn the_axis_reaches_back_to_an_as_of_date_in_the_year_before() {
        let bars = [GanttBar {
            label: "1".into(),
            description: "".into(),
            start: day("2024-04-01"),
            end: day("2024-05-31"),
            status: Status::NotStarted,
        }];
        assert!(as_of_on_chart(&bars, day("2023-01-01")) && as_of_on_chart(&bars, day("2025-12-31")));
        assert!(!as_of_on_chart(&bars, day("2022-12-31")) && !as_of_on_chart(&bars, day("2026-01-01")));
        let svg = gantt(&Gantt {
            id: "g",
            title: "T",
            description: "D",
            bars: &bars,
            as_of: day("2023-06-01"),
            as_of_label: "as of",
            rtl: false,
        });
        assert!(svg.contains(">2023</text>") && svg.contains(">2024</text>") && svg.contains("class=\"as-of\""), "{svg}");
    }

    fn point(label: &str, value: f64, kind: &'static str) -> Point {
        Point { label: label.into(), value, value_label: format!("{value} %"), kind }
    }

    #[test]
    fn bar_charts_are_drawn_to_scale_in_reading_order() {
        // Slots of 64 after a margin of 8, bars 0.6 of a slot wide, centred; heights out
        // of 100 for the largest value (60), 1 at least (a value below zero).
        let points = [point("2023", 30.0, "actual"), point("2024", 60.0, "target"), point("2025", -5.0, "forecast")];
        let head = r#"<svg class="indicator-chart" viewBox="0 0 208 140" width="208" direction="ltr" role="img" aria-labelledby="i-t" xmlns="http://www.w3.org/2000/svg"><title id="i-t">T &amp; U</title><line class="axis" x1="4" y1="118" x2="204" y2="118"/>"#;
        let bar = |kind: &str, label: &str, value: &str, cx: &str, x: &str, y: &str, h: &str, ty: &str| {
            format!(
                r#"<rect class="v-{kind}" x="{x}" y="{y}" width="38.4" height="{h}"><title>{label}: {value}</title></rect><text class="value" x="{cx}" y="{ty}" text-anchor="middle">{value}</text><text class="label" x="{cx}" y="134" text-anchor="middle">{label}</text>"#
            )
        };
        let (b2023, b2024, b2025) = (
            |cx, x| bar("actual", "2023", "30 %", cx, x, "68.0", "50.0", "64.0"),
            |cx, x| bar("target", "2024", "60 %", cx, x, "18.0", "100.0", "14.0"),
            |cx, x| bar("forecast", "2025", "-5 %", cx, x, "117.0", "1.0", "113.0"),
        );
        assert_eq!(
            indicator_chart("i", "T & U", &points, false),
            [head.to_string(), b2023("40.0", "20.8"), b2024("104.0", "84.8"), b2025("168.0", "148.8"), "</svg>".into()].concat()
        );
        // Right to left: the first value in the rightmost slot.
        assert_eq!(
            indicator_chart("i", "T & U", &points, true),
            [head.to_string(), b2023("168.0", "148.8"), b2024("104.0", "84.8"), b2025("40.0", "20.8"), "</svg>".into()].concat()
        );
        // Progress: slots of 128, on a fixed scale of 100.
        let progress = progress_chart("p", "P", &[point("1 mars", 40.0, "actual"), point("1 juin", 75.0, "actual")], true);
        assert_eq!(
            progress,
            [
                r#"<svg class="indicator-chart" viewBox="0 0 272 140" width="272" direction="ltr" role="img" aria-labelledby="p-t" xmlns="http://www.w3.org/2000/svg"><title id="p-t">P</title><line class="axis" x1="4" y1="118" x2="268" y2="118"/>"#,
                r#"<rect class="v-actual" x="161.6" y="78.0" width="76.8" height="40.0"><title>1 mars: 40 %</title></rect><text class="value" x="200.0" y="74.0" text-anchor="middle">40 %</text><text class="label" x="200.0" y="134" text-anchor="middle">1 mars</text>"#,
                r#"<rect class="v-actual" x="33.6" y="43.0" width="76.8" height="75.0"><title>1 juin: 75 %</title></rect><text class="value" x="72.0" y="39.0" text-anchor="middle">75 %</text><text class="label" x="72.0" y="134" text-anchor="middle">1 juin</text>"#,
                "</svg>",
            ]
            .concat()
        );
        assert_eq!(progress_chart("p", "P", &[], false), "");
    }

    #[test]
    fn no_bars_no_chart() {
        assert_eq!(
            gantt(&Gantt { id: "g", title: "", description: "", bars: &[], as_of: day("2024-01-01"), as_of_label: "", rtl: false }),
            ""
        );
        assert_eq!(indicator_chart("i", "t", &[], false), "");
    }
}
