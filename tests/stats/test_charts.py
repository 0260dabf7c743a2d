"""SVG chart helpers: accessible, every value printed as text, labels escaped."""

from __future__ import annotations

from xml.etree import ElementTree

from django.template import Context, Template

from stats.charts import bar_chart, heat_map, line_chart

NS = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ElementTree.Element:
    # Our own output, parsed to check its structure.
    return ElementTree.fromstring(svg.replace("<svg ", f'<svg xmlns="{NS[1:-1]}" ', 1))  # noqa: S314


def texts(root: ElementTree.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{NS}text")]


def test_bar_chart_has_a_title_description_and_prints_every_value():
    svg = bar_chart("Abandonment by language", [("pl", 0.25), ("uk", None)], metric="x_rate")
    root = parse(svg)
    assert root.get("role") == "img"
    title = root.find(f"{NS}title")
    assert title is not None
    assert title.text == "Abandonment by language"
    assert root.get("aria-labelledby") == f"{title.get('id')} {root.find(f'{NS}desc').get('id')}"
    assert {"pl", "uk", "25.0 %", "no data"} <= set(texts(root))
    assert "style=" not in svg


def test_labels_are_escaped():
    svg = bar_chart("<script>", [("<img src=x onerror=alert(1)>", 3)])
    assert "<script>" not in svg
    assert "<img" not in svg
    parse(svg)  # still well-formed


def test_line_chart_marks_each_point_with_its_value_and_breaks_on_gaps():
    svg = line_chart(
        "Started", [("2025-03-01", 2), ("2025-03-02", None), ("2025-03-03", 5)], metric="started"
    )
    root = parse(svg)
    points = [c.find(f"{NS}title").text for c in root.iter(f"{NS}circle")]
    assert points == ["2025-03-01: 2", "2025-03-03: 5"]
    assert "highest 5 (2025-03-03)" in root.find(f"{NS}desc").text
    assert not list(root.iter(f"{NS}polyline"))  # no line drawn across the missing day


def test_heat_map_prints_the_count_in_every_cell():
    cells = {(1, 0): 4, (2, 1): 9}
    svg = heat_map("Load", cells, rows=[(1, "Mon"), (2, "Tue")], columns=[(0, "00"), (1, "01")])
    root = parse(svg)
    numbers = [t.text for cell in root.iter(f"{NS}g") for t in cell.iter(f"{NS}text")]
    assert numbers == ["4", "0", "0", "9"]
    assert "busiest is Tue 01 with 9" in root.find(f"{NS}desc").text


def test_template_tags_draw_charts_from_a_result():
    result = {
        "series": [{"period": "2025-03-01", "started": 3}],
        "breakdowns": {
            "language": [{"language": "pl", "started": 3}],
            "heatmap": [{"weekday": 1, "hour": 9, "started": 3}],
        },
    }
    html = Template(
        "{% load stats_charts %}{% stats_series_chart result 'started' %}"
        "{% stats_breakdown_chart result 'language' 'started' %}{% stats_heatmap_chart result %}"
    ).render(Context({"result": result}))
    assert html.count("<svg ") == 3
    assert "&lt;" not in html  # the SVG markup itself is not escaped twice
