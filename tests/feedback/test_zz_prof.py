import cProfile, pstats, pytest
from django.urls import reverse
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")
from tests.feedback.test_isolation import scenes, _request, _client_for  # noqa
from tests.feedback.conftest import boss, served, served2  # noqa

def test_prof(client, world, boss, scenes):
    url = reverse("feedback_report_detail", args=[987654])
    pr = cProfile.Profile(); pr.enable()
    for _ in range(20):
        _request(_client_for(client, world, boss, "procurator"), "get", url, None)
    pr.disable()
    pstats.Stats(pr).sort_stats("cumulative").print_stats(25)
