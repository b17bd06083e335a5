"""The 17 goals of Agenda 2030 with their Swedish names and the UN's colours."""

from django.db import migrations

GOALS = [
    (1, "Ingen fattigdom", "#E5243B"),
    (2, "Ingen hunger", "#DDA63A"),
    (3, "God hälsa och välbefinnande", "#4C9F38"),
    (4, "God utbildning för alla", "#C5192D"),
    (5, "Jämställdhet", "#FF3A21"),
    (6, "Rent vatten och sanitet för alla", "#26BDE2"),
    (7, "Hållbar energi för alla", "#FCC30B"),
    (8, "Anständiga arbetsvillkor och ekonomisk tillväxt", "#A21942"),
    (9, "Hållbar industri, innovationer och infrastruktur", "#FD6925"),
    (10, "Minskad ojämlikhet", "#DD1367"),
    (11, "Hållbara städer och samhällen", "#FD9D24"),
    (12, "Hållbar konsumtion och produktion", "#BF8B2E"),
    (13, "Bekämpa klimatförändringarna", "#3F7E44"),
    (14, "Hav och marina resurser", "#0A97D9"),
    (15, "Ekosystem och biologisk mångfald", "#56C02B"),
    (16, "Fredliga och inkluderande samhällen", "#00689D"),
    (17, "Genomförande och globalt partnerskap", "#19486A"),
]


def load(apps, schema_editor):
    Goal = apps.get_model("planning", "SustainableDevelopmentGoal")
    for number, name, colour in GOALS:
        Goal.objects.update_or_create(number=number, defaults={"name": name, "colour": colour})


class Migration(migrations.Migration):
    dependencies = [("planning", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
