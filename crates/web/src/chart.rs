//! Hand-written SVG charts (no browser or font engine needed); every chart also has a table.

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
}
