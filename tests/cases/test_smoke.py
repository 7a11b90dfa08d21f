from cases.models import Case
from cases.selectors import cases_visible_to
from tests.factories import CaseFactory


def test_district_case_is_seen_by_city_supervisor_but_not_other_procuratorate(world):
    case = CaseFactory(procuratorate=world.district, handler=world.procurator, agencies=[world.agency1])
    assert list(cases_visible_to(world.city_supervisor)) == [case]
    assert list(cases_visible_to(world.other_supervisor)) == []
    assert Case.objects.count() == 1
