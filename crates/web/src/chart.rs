//! Hand-written SVG charts (no browser or font engine needed); every chart also has a table.

use crate::i18n::Tr;
use regie_domain::Perspective;

/// One assessment to plot: whose view, and its level per domain (`None`: not discussed).
pub struct ChartAssessment {
    pub perspective: Perspective,
    pub levels: Vec<Option<u8>>,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Colours with at least 4.5:1 contrast on white; shapes differ too, so colour is not the only cue.
fn style(perspective: Perspective) -> (&'static str, &'static str) {
    match perspective {
        Perspective::Client => ("#1f5f8b", "circle"),
        Perspective::Professional => ("#9a4700", "square"),
        Perspective::NetworkMember => ("#5a3e8a", "diamond"),
    }
}

fn marker(shape: &str, x: f64, y: f64, size: f64, colour: &str, opacity: f64) -> String {
    match shape {
        "circle" => format!(
            r#"<circle cx="{x:.1}" cy="{y:.1}" r="{size:.1}" fill="{colour}" fill-opacity="{opacity}"/>"#
        ),
        "square" => format!(
            r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{colour}" fill-opacity="{opacity}"/>"#,
            x - size,
            y - size,
            size * 2.0,
            size * 2.0
        ),
        _ => format!(
            r#"<polygon points="{x:.1},{:.1} {:.1},{y:.1} {x:.1},{:.1} {:.1},{y:.1}" fill="{colour}" fill-opacity="{opacity}"/>"#,
            y - size * 1.3,
            x + size * 1.3,
            y + size * 1.3,
            x - size * 1.3
        ),
    }
}

/// Levels 1–5 per life domain. Per perspective the latest assessment is a solid marker, earlier
/// ones are faint, joined by a line so change over time shows.
pub fn life_domain_chart(
    title: &str,
    description: &str,
    domains: &[String],
    level_labels: &[String],
    assessments: &[ChartAssessment],
    legend: &[(Perspective, String)],
) -> String {
    const LEFT: f64 = 230.0;
    const STEP: f64 = 110.0;
    const ROW: f64 = 30.0;
    const TOP: f64 = 78.0;
    let width = LEFT + STEP * 4.0 + 60.0;
    let height = TOP + ROW * domains.len() as f64 + 50.0;
    let x_of = |level: u8| LEFT + STEP * f64::from(level.saturating_sub(1));
    let y_of = |row: usize| TOP + ROW * row as f64 + ROW / 2.0;
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0} {height:.0}" role="img" aria-labelledby="chart-title chart-desc" class="chart"><title id="chart-title">{}</title><desc id="chart-desc">{}</desc>"#,
        escape(title),
        escape(description)
    );
    for (i, label) in level_labels.iter().enumerate().take(5) {
        let x = x_of(i as u8 + 1);
        // The number, then the name over at most two lines, so neighbouring names never overlap.
        let (first, second) = label.split_once(' ').unwrap_or((label.as_str(), ""));
        svg.push_str(&format!(
            r##"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}" stroke="#c9d1da"/><text x="{x:.1}" y="{:.1}" text-anchor="middle" font-size="13" font-weight="bold" fill="#1c2430">{}</text><text x="{x:.1}" y="{:.1}" text-anchor="middle" font-size="11" fill="#1c2430">{}</text><text x="{x:.1}" y="{:.1}" text-anchor="middle" font-size="11" fill="#1c2430">{}</text>"##,
            TOP - 6.0,
            TOP + ROW * domains.len() as f64,
            TOP - 46.0,
            i + 1,
            TOP - 31.0,
            escape(first),
            TOP - 18.0,
            escape(second)
        ));
    }
    for (row, domain) in domains.iter().enumerate() {
        let y = y_of(row);
        svg.push_str(&format!(
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end" font-size="13" fill="#1c2430">{}</text>"##,
            LEFT - 16.0,
            y + 4.0,
            escape(domain)
        ));
    }
    for perspective in Perspective::ALL {
        let (colour, shape) = style(perspective);
        let series: Vec<&ChartAssessment> = assessments
            .iter()
            .filter(|a| a.perspective == perspective)
            .collect();
        // Offset each perspective a little so markers on the same level stay visible.
        let offset = match perspective {
            Perspective::Client => -7.0,
            Perspective::Professional => 0.0,
            Perspective::NetworkMember => 7.0,
        };
        for row in 0..domains.len() {
            let points: Vec<(usize, u8)> = series
                .iter()
                .enumerate()
                .filter_map(|(i, a)| a.levels.get(row).copied().flatten().map(|l| (i, l)))
                .collect();
            for pair in points.windows(2) {
                svg.push_str(&format!(
                    r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{colour}" stroke-width="2" stroke-opacity="0.5"/>"#,
                    x_of(pair[0].1),
                    y_of(row) + offset,
                    x_of(pair[1].1),
                    y_of(row) + offset
                ));
            }
            for (i, level) in &points {
                let latest = *i + 1 == series.len();
                let (size, opacity) = if latest { (6.0, 1.0) } else { (4.0, 0.35) };
                svg.push_str(&marker(
                    shape,
                    x_of(*level),
                    y_of(row) + offset,
                    size,
                    colour,
                    opacity,
                ));
            }
        }
    }
    let mut x = LEFT;
    let y = height - 18.0;
    for (perspective, label) in legend {
        let (colour, shape) = style(*perspective);
        svg.push_str(&marker(shape, x, y - 4.0, 6.0, colour, 1.0));
        svg.push_str(&format!(
            r##"<text x="{:.1}" y="{y:.1}" font-size="13" fill="#1c2430">{}</text>"##,
            x + 12.0,
            escape(label)
        ));
        x += 150.0;
    }
    svg.push_str("</svg>");
    svg
}

/// One bar group of a bar chart: a label under it and one value per series (`None`: no data).
pub struct BarGroup {
    pub label: String,
    pub values: Vec<Option<f64>>,
}

/// Series colours with at least 4.5:1 contrast on white; the hatched second series does not
/// rely on colour alone.
const SERIES: [(&str, &str); 3] = [("#1f5f8b", ""), ("#9a4700", "hatch"), ("#1d5e33", "")];

/// A grouped bar chart from 0 to `max`, with an accessible name; the page shows a table next
/// to it with the same numbers.
pub fn bar_chart(tr: Tr, title: &str, series: &[String], groups: &[BarGroup], max: f64) -> String {
    let (left, top, height) = (48.0, 12.0, 160.0);
    let group_width = 18.0 * series.len().max(1) as f64 + 14.0;
    // A fixed minimum width, so a chart of a few weeks is not scaled up huge.
    let width = (left + group_width * groups.len() as f64 + 12.0).max(520.0);
    let max = if max > 0.0 { max } else { 1.0 };
    let y = |v: f64| top + height - (v.clamp(0.0, max) / max) * height;
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0} {:.0}" role="img" aria-label="{}" class="chart">"#,
        top + height + 64.0,
        escape(title)
    );
    svg.push_str(r##"<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#9a4700"/><line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="2"/></pattern></defs>"##);
    for step in 0..=4 {
        let value = max * f64::from(step) / 4.0;
        let label = if max <= 1.0 {
            crate::format::percent(value)
        } else {
            crate::format::decimal(tr, value, 1)
        };
        svg.push_str(&format!(
            r##"<line x1="{left}" x2="{width:.0}" y1="{0:.1}" y2="{0:.1}" stroke="#d5dbe2"/><text x="{1}" y="{2:.1}" font-size="10" text-anchor="end" fill="#4a5566">{label}</text>"##,
            y(value),
            left - 4.0,
            y(value) + 3.0
        ));
    }
    for (g, group) in groups.iter().enumerate() {
        let x0 = left + 8.0 + group_width * g as f64;
        for (s, value) in group.values.iter().enumerate() {
            let Some(value) = value else { continue };
            let (colour, pattern) = SERIES[s % SERIES.len()];
            let fill = if pattern.is_empty() {
                colour.to_string()
            } else {
                format!("url(#{pattern})")
            };
            let top_y = y(*value);
            svg.push_str(&format!(
                r#"<rect x="{:.1}" y="{top_y:.1}" width="16" height="{:.1}" fill="{fill}"/>"#,
                x0 + 18.0 * s as f64,
                top + height - top_y
            ));
        }
        svg.push_str(&format!(
            r##"<text x="{:.1}" y="{:.1}" font-size="10" text-anchor="middle" fill="#1c2430">{}</text>"##,
            x0 + group_width / 2.0 - 7.0,
            top + height + 14.0,
            escape(&group.label)
        ));
    }
    for (s, name) in series.iter().enumerate() {
        let (colour, pattern) = SERIES[s % SERIES.len()];
        let fill = if pattern.is_empty() {
            colour.to_string()
        } else {
            format!("url(#{pattern})")
        };
        let ly = top + height + 30.0 + 14.0 * s as f64;
        svg.push_str(&format!(
            r##"<rect x="{left}" y="{:.1}" width="10" height="10" fill="{fill}"/><text x="{:.1}" y="{:.1}" font-size="11" fill="#1c2430">{}</text>"##,
            ly - 9.0,
            left + 14.0,
            ly,
            escape(name)
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chart_describes_itself_and_marks_each_rating() {
        let domains = vec!["Financiën".to_string(), "Huisvesting & <wonen>".to_string()];
        let labels: Vec<String> = (1..=5).map(|l| format!("niveau {l}")).collect();
        let assessments = vec![
            ChartAssessment {
                perspective: Perspective::Client,
                levels: vec![Some(2), None],
            },
            ChartAssessment {
                perspective: Perspective::Client,
                levels: vec![Some(3), Some(4)],
            },
            ChartAssessment {
                perspective: Perspective::Professional,
                levels: vec![Some(4), Some(4)],
            },
        ];
        let legend = vec![
            (Perspective::Client, "Cliënt".into()),
            (Perspective::Professional, "Professional".into()),
        ];
        let svg = life_domain_chart(
            "Zelfredzaamheid",
            "Niveaus per levensgebied",
            &domains,
            &labels,
            &assessments,
            &legend,
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(
            svg.contains(r#"role="img""#)
                && svg.contains("<title id=\"chart-title\">Zelfredzaamheid</title>")
        );
        assert!(
            svg.contains("Huisvesting &amp; &lt;wonen&gt;"),
            "text is escaped"
        );
        // 3 client ratings (one not discussed) + 2 professional, plus 1 client legend marker.
        assert_eq!(svg.matches("<circle").count(), 3 + 1);
        assert_eq!(svg.matches("<rect").count(), 2 + 1);
        // One line joins the client's two ratings of Financiën (the earlier one is faint).
        assert_eq!(svg.matches(r#"stroke-width="2""#).count(), 1);
        assert_eq!(svg.matches(r#"fill-opacity="0.35""#).count(), 1);
    }

    #[test]
    fn a_bar_chart_draws_a_bar_per_value_and_names_itself() {
        let groups = [
            BarGroup {
                label: "wk 1".into(),
                values: vec![Some(0.5), Some(1.0)],
            },
            BarGroup {
                label: "wk <2>".into(),
                values: vec![None, Some(0.25)],
            },
        ];
        let svg = bar_chart(
            Tr::new(regie_domain::Language::Nl),
            "Zelf & samen",
            &["a".into(), "b".into()],
            &groups,
            1.0,
        );
        assert!(svg.contains(r#"aria-label="Zelf &amp; samen""#));
        // Three values, plus two legend swatches and the pattern's own square.
        assert_eq!(svg.matches("<rect").count(), 3 + 2 + 1);
        assert!(svg.contains("wk &lt;2&gt;"));
        // Half of 160 px high, from the baseline at 172.
        assert!(svg.contains(r#"y="92.0" width="16" height="80.0""#));
    }
}
