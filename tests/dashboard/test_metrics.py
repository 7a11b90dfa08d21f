"""Each figure (docs/domain.md, Dashboard figures) on the hand-computed dataset (tests/dashboard/conftest.py): value,
numerator and denominator, the breakdowns, and that the list behind each number holds exactly the
counted cases."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from dashboard import metrics
from tests.dashboard.conftest import END, EXPECTED, START, TODAY


def _scope(user, **kw) -> metrics.Scope:
    return metrics.scope_for(user, start=START, end=END, today=TODAY, **kw)


@pytest.fixture
def figures(world, dataset) -> dict[str, metrics.Figure]:
    return {f.code: f for f in metrics.key_figures(_scope(world.city_supervisor), today=TODAY)}


def test_figures_come_in_the_documented_order(figures):
    assert tuple(figures) == metrics.FIGURE_CODES


@pytest.mark.parametrize("code", list(EXPECTED))
def test_each_figure_on_the_hand_computed_dataset(figures, code):
    figure, expected = figures[code], EXPECTED[code]
    if isinstance(expected, tuple):
        numerator, denominator = expected
        assert (figure.numerator, figure.denominator) == (numerator, denominator)
        assert figure.value == Decimal(numerator) / Decimal(denominator)
    else:
        assert (figure.value, figure.numerator, figure.denominator) == (expected, None, None)
    assert figure.label and figure.definition


def test_a_rate_without_denominator_has_no_value(world, db):
    figures = {f.code: f for f in metrics.key_figures(_scope(world.city_supervisor), today=TODAY)}
    assert figures["on_time_reply_rate"].value is None
    assert (figures["on_time_reply_rate"].numerator, figures["on_time_reply_rate"].denominator) == (0, 0)
    assert figures["cases_opened"].value == 0


def test_definitions_name_the_period_date(figures):
    assert "立案日期" in figures["cases_opened"].definition
    assert "送达日期" in figures["recommendations_served"].definition
    assert "裁判日期" in figures["claims_supported_rate"].definition
    assert "截至今日" in figures["replies_overdue"].definition


def test_definitions_are_translated(world, dataset, settings):
    from django.utils import translation

    with translation.override("en"):
        figures = metrics.key_figures(_scope(world.city_supervisor), today=TODAY)
    assert all(isinstance(f.label, str) and isinstance(f.definition, str) for f in figures)


# --- Scope ----------------------------------------------------------------------------------------


def test_city_supervisor_scope_is_city_and_subordinates(world):
    scope = _scope(world.city_supervisor)
    assert set(scope.procuratorate_ids) == {world.city.pk, world.district.pk}


def test_district_supervisor_scope_is_only_the_district(world):
    assert _scope(world.supervisor).procuratorate_ids == (world.district.pk,)


def test_selecting_a_procuratorate_outside_the_scope_is_not_found(world):
    with pytest.raises(Http404):
        _scope(world.supervisor, procuratorate_id=world.city.pk)
    with pytest.raises(Http404):
        _scope(world.city_supervisor, procuratorate_id=world.other.pk)
    with pytest.raises(Http404):
        _scope(world.city_supervisor, procuratorate_id=987654)


@pytest.mark.parametrize("role", ["procurator", "city_procurator", "agency1_staff", "discipline"])
def test_other_roles_have_no_scope(world, role):
    with pytest.raises(PermissionDenied):
        _scope(getattr(world, role))


def test_default_period_is_this_year(world):
    scope = metrics.scope_for(world.city_supervisor, today=TODAY)
    assert (scope.start.isoformat(), scope.end.isoformat()) == ("2026-01-01", "2026-12-31")


def test_district_figures_leave_out_the_city(world, dataset):
    figures = {f.code: f for f in metrics.key_figures(_scope(world.supervisor), today=TODAY)}
    assert figures["cases_opened"].value == 2  # C1, C5
    assert figures["leads"].value == 1  # L1
    assert figures["replies_overdue"].value == 1  # D4 (C3); D5 is the city's
    assert (figures["claims_supported_rate"].numerator, figures["claims_supported_rate"].denominator) == (2, 2)


def test_domain_and_case_type_narrow_the_figures(world, dataset):
    food = {
        f.code: f
        for f in metrics.key_figures(_scope(world.city_supervisor, domain_id=dataset.other_domain.pk), today=TODAY)
    }
    assert food["cases_opened"].value == 1  # C2
    assert food["replies_overdue"].value == 1  # D5 (C2)
    civil = {f.code: f for f in metrics.key_figures(_scope(world.city_supervisor, case_type="civil"), today=TODAY)}
    assert civil["cases_opened"].value == 2  # C7, C8
    assert civil["lawsuits"].value == 2
    assert civil["leads"].value == 2  # leads have no case type


# --- Breakdowns -----------------------------------------------------------------------------------


def _counts(figures):
    return {f.code: (f.numerator, f.denominator) if f.is_rate else f.value for f in figures}


def test_figures_by_procuratorate_add_up_to_the_totals(world, dataset):
    rows = metrics.figures_by(_scope(world.city_supervisor), by="procuratorate", today=TODAY)
    assert [name for name, _figures in rows] == [world.city.name, world.district.name]
    by_name = {name: _counts(figures) for name, figures in rows}
    assert by_name[world.city.name]["cases_opened"] == 4
    assert by_name[world.district.name]["cases_opened"] == 2
    for code, expected in EXPECTED.items():
        values = [by_name[name][code] for name in by_name]
        if isinstance(expected, tuple):
            assert tuple(map(sum, zip(*values, strict=True))) == expected, code
        else:
            assert sum(values) == expected, code


def test_figures_by_domain(world, dataset):
    rows = dict(metrics.figures_by(_scope(world.city_supervisor), by="domain", today=TODAY))
    assert _counts(rows["食品药品安全"])["cases_opened"] == 1
    assert _counts(rows["生态环境和资源保护"])["cases_opened"] == 5


def test_figures_by_has_a_fixed_number_of_queries(world, dataset, django_assert_num_queries):
    scope = _scope(world.city_supervisor)
    # one query per figure group (9: leads, cases, recommendations, reply deadlines, items,
    # pre-litigation, lawsuits, rulings, hearings) and one for the row labels.
    with django_assert_num_queries(10):
        metrics.figures_by(scope, by="procuratorate", today=TODAY)


def test_key_figures_have_a_fixed_number_of_queries(world, dataset, django_assert_num_queries):
    scope = _scope(world.city_supervisor)
    with django_assert_num_queries(9):
        metrics.key_figures(scope, today=TODAY)


# --- The lists behind the numbers -------------------------------------------------------------------


def _listed(client, url) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200
    return {obj.pk for obj in response.context["filter"].qs}


def _drill_down_cases(figure: metrics.Figure) -> list[tuple[str, str]]:
    if figure.is_rate:
        return [(f"{figure.code}:numerator", figure.numerator_url), (f"{figure.code}:denominator", figure.url)]
    return [(figure.code, figure.url)]


@pytest.mark.parametrize("code", list(EXPECTED))
def test_drill_down_lists_exactly_the_counted_cases(client, world, dataset, figures, code):
    client.force_login(world.city_supervisor)
    for key, url in _drill_down_cases(figures[code]):
        listed = _listed(client, url)
        if code == "leads":
            assert listed == {dataset.leads[n].pk for n in dataset.expected_cases[key]}
        else:
            assert listed == dataset.ids(dataset.expected_cases[key]), key


def test_drill_down_of_a_breakdown_row_is_narrowed_to_it(client, world, dataset):
    client.force_login(world.city_supervisor)
    rows = dict(metrics.figures_by(_scope(world.city_supervisor), by="procuratorate", today=TODAY))
    district = {f.code: f for f in rows[world.district.name]}
    assert _listed(client, district["on_time_reply_rate"].url) == dataset.ids({"C1", "C3"})
    assert _listed(client, district["replies_overdue"].url) == dataset.ids({"C3"})
    query = dict(parse_qsl(urlsplit(district["lawsuits"].url).query))
    assert query["procuratorate"] == str(world.district.pk)


def test_drill_down_never_leaves_the_viewers_scope(client, world, dataset):
    city_figures = {f.code: f for f in metrics.key_figures(_scope(world.city_supervisor), today=TODAY)}
    client.force_login(world.supervisor)  # the district supervisor follows the city's link
    assert _listed(client, city_figures["replies_overdue"].url) == dataset.ids({"C3"})
