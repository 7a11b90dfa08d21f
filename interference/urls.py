from django.urls import path

from interference import views

# Mounted at /interference/ (pil_tracker/urls.py).
urlpatterns = [
    path("", views.interference_list, name="interference_list"),
    path("new/", views.interference_create, name="interference_create"),
    path("<int:pk>/", views.interference_detail, name="interference_detail"),
    path("<int:pk>/correct/", views.interference_correct, name="interference_correct"),
    path("files/<int:pk>/", views.interference_file, name="interference_file"),
]
