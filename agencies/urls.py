from django.urls import path

from agencies import views

urlpatterns = [
    path("search/", views.agency_search, name="agency_search"),
]
