from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
]

planning_patterns = [
    path("plan/", views.document_list, name="documents"),
    path("plan/struktur/", views.structure, name="structure"),
    path("plan/<int:pk>/", views.document_detail, name="document"),
    path("plan/element/<int:pk>/", views.node_detail, name="node"),
    path("plan/element/<int:pk>/andra/", views.node_edit, name="node_edit"),
    path("plan/element/<int:pk>/ny/<slug:level_key>/", views.node_create, name="node_create"),
    path("plan/element/<int:pk>/ta-bort/", views.node_delete, name="node_delete"),
    path("principer/", views.principle_list, name="principles"),
    path("principer/<slug:key>/", views.principle_detail, name="principle"),
    path("agenda-2030/<int:number>/", views.sdg_detail, name="sdg"),
]
