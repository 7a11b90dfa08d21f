from django.urls import path

from typical_cases import views

urlpatterns = [
    path("typical-cases/", views.typical_case_list, name="typical_case_list"),
    path("typical-cases/new/", views.typical_case_new, name="typical_case_new"),
    path("typical-cases/<int:pk>/", views.typical_case_detail, name="typical_case_detail"),
    path("typical-cases/<int:pk>/edit/", views.typical_case_edit, name="typical_case_edit"),
    path("typical-cases/<int:pk>/start/", views.typical_case_start, name="typical_case_start"),
    path("typical-cases/<int:pk>/submit/", views.typical_case_submit, name="typical_case_submit"),
    path("typical-cases/<int:pk>/publish/", views.typical_case_publish, name="typical_case_publish"),
    path("typical-cases/<int:pk>/return/", views.typical_case_return, name="typical_case_return"),
    path("typical-cases/<int:pk>/withdraw/", views.typical_case_withdraw, name="typical_case_withdraw"),
    # Public: no login.
    path("public/typical-cases/", views.public_list, name="public_typical_case_list"),
    path("public/typical-cases/<int:pk>/", views.public_detail, name="public_typical_case_detail"),
    path("congress/", views.congress_list, name="congress_list"),
    path("congress/new/", views.congress_new, name="congress_new"),
    path("congress/<int:pk>/", views.congress_detail, name="congress_detail"),
    path("congress/<int:pk>/answer/", views.congress_answer, name="congress_answer"),
    path("congress/files/<int:pk>/", views.congress_file, name="congress_file"),
]
