from django.urls import include, path

from cases.views import browse

# Pages that list and show (cases/views/browse.py) and the forms that act on a case
# (cases/views/actions.py, urls in cases/urls_actions.py).
urlpatterns = [
    path("", browse.home, name="home"),
    path("", include("cases.urls_actions")),
]
