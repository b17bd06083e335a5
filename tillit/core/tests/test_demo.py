from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from tillit.core.choices import BodyKind, MembershipRole, UnitKind, UnitRoleKind
from tillit.core.demo import DEMO_PASSWORD, PERSONAS, DemoError, load_demo
from tillit.core.models import Body, Organisation, OrgUnit, User

pytestmark = pytest.mark.django_db


def _row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def _roles(user: User) -> set[tuple[str, str]]:
    return {(r.unit.name, r.role) for r in user.unit_roles.select_related("unit")}


def _memberships(user: User) -> set[tuple[str, str]]:
    return {(m.body.abbreviation, m.role) for m in user.memberships.select_related("body")}


def test_load_demo_twice_creates_and_changes_nothing(grastorp):
    before = _row_counts()
    passwords = dict(User.objects.values_list("username", "password"))

    people = load_demo()

    assert _row_counts() == before  # history tables included: nothing was saved
    assert dict(User.objects.values_list("username", "password")) == passwords
    assert set(people) == set(PERSONAS)


def test_load_demo_refuses_an_unknown_organisation(db):
    with pytest.raises(DemoError, match="finns inte"):
        load_demo(organisation_slug="ingenstans")


def test_demo_history_rows_carry_the_reason(grastorp):
    unit = OrgUnit.objects.get(name="Tengbergsskolan F–6")
    assert unit.history.first().history_change_reason == "Demodata"


def test_every_persona_has_the_demo_password_and_belongs_to_grastorp(personas):
    assert personas.pop("anonymous") is None
    # Hashing is slow by design: the demo hashes the password once for everyone.
    assert personas["strateg"].check_password(DEMO_PASSWORD)
    for user in personas.values():
        assert user.password == personas["strateg"].password
        assert user.organisation.slug == "grastorp"
        assert user.first_name and user.last_name and user.job_title


def test_fortroendevald_sits_in_kf_and_chairs_a_committee(personas):
    user = personas["fortroendevald"]
    assert _memberships(user) == {("KF", MembershipRole.MEMBER), ("VU", MembershipRole.CHAIR)}
    assert all(m.party for m in user.memberships.all())
    assert not user.unit_roles.exists()
    assert not user.is_plan_administrator
    assert Body.objects.get(abbreviation="VU").parent.abbreviation == "KS"


def test_strateg_is_plan_administrator_at_kommunledningskontoret(personas):
    user = personas["strateg"]
    assert user.is_plan_administrator
    assert _roles(user) == {("Kommunledningskontoret", UnitRoleKind.CO_LEADER)}
    assert ("KLG", MembershipRole.MEMBER) in _memberships(user)


def test_verksamhetschef_manages_utbildning_and_sits_in_its_management_group(personas):
    user = personas["verksamhetschef"]
    assert _roles(user) == {("Utbildning", UnitRoleKind.MANAGER)}
    assert OrgUnit.objects.get(name="Utbildning").kind == UnitKind.OPERATION
    group = Body.objects.get(kind=BodyKind.MANAGEMENT_GROUP, unit__name="Utbildning")
    assert {"KLG", group.abbreviation} <= {abbr for abbr, _role in _memberships(user)}
    assert not user.is_plan_administrator


def test_enhetschef_and_medledare_share_tengbergsskolan(personas):
    school = OrgUnit.objects.get(name="Tengbergsskolan F–6")
    assert school.kind == UnitKind.UNIT and school.parent.name == "Utbildning"
    assert _roles(personas["enhetschef"]) == {(school.name, UnitRoleKind.MANAGER)}
    assert _roles(personas["medledare"]) == {(school.name, UnitRoleKind.CO_LEADER)}
    assert school.children.filter(kind=UnitKind.TEAM).count() >= 2


def test_outsider_manages_a_unit_in_another_operation(personas):
    user = personas["outsider"]
    assert _roles(user) == {("Hemtjänsten", UnitRoleKind.MANAGER)}
    home_care = OrgUnit.objects.get(name="Hemtjänsten")
    assert home_care.parent.name == "Vård och omsorg"


def test_admin_is_a_superuser(grastorp):
    admin = User.objects.get(username=PERSONAS["admin"].username)
    assert admin.is_staff and admin.is_superuser
    assert admin.password == User.objects.get(username="strateg").password


def test_demo_areas_belong_to_operations_under_a_goal(area, other_area, goal):
    assert area.title == "Läsfrämjande i F–6"
    assert area.parent == goal
    assert area.owner_unit.name == "Tengbergsskolan F–6"
    assert other_area.owner_unit.name == "Hemtjänsten"
    for node in (area, other_area):
        node.full_clean()
        assert node.level.key == "area" and node.year in (2025, 2026)


def test_client_as_logs_in_the_persona(client_as, personas):
    assert client_as("strateg").session["_auth_user_id"] == str(personas["strateg"].pk)
    assert "_auth_user_id" not in client_as("anonymous").session


def test_command_refuses_without_debug(grastorp, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo", stdout=StringIO())


def test_command_prints_every_username_and_the_address(grastorp, settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    for persona in PERSONAS.values():
        assert persona.username in text
    assert DEMO_PASSWORD in text
    assert "Öppna http://127.0.0.1:8000" in text


def test_command_runs_without_debug_when_forced(grastorp, settings):
    settings.DEBUG = False
    out = StringIO()
    call_command("load_demo", "--force", stdout=out)
    assert PERSONAS["strateg"].username in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_grastorp_fixture_survives_a_flushed_database(grastorp, personas):
    # Transactional tests empty the database after each test; the fixture loads it again.
    assert grastorp.slug == "grastorp"
    assert personas["enhetschef"].unit_roles.get().unit.name == "Tengbergsskolan F–6"


@pytest.mark.django_db(transaction=True)
def test_grastorp_fixture_survives_a_flushed_database_twice(grastorp, area):
    assert area.owner_unit.name == "Tengbergsskolan F–6"


def test_a_later_run_keeps_what_was_done_to_the_demo_areas(grastorp):
    from tillit.planning.models import PlanNode

    area = PlanNode.objects.get(organisation=grastorp, title="Läsfrämjande i F–6")
    PlanNode.objects.filter(pk=area.pk).update(title="Läslyftet i F–6")

    load_demo()

    assert not PlanNode.objects.filter(title="Läsfrämjande i F–6").exists()
    assert PlanNode.objects.filter(title="Läslyftet i F–6").count() == 1


# --- existing accounts are never changed ------------------------------------


def _account(username: str) -> dict:
    return User.objects.values().get(username=username)


def test_a_real_admin_account_is_left_alone(grastorp):
    User.objects.filter(username="admin").update(username="tove.admin")  # the demo's own
    admin = User.objects.create_user("admin", email="it@grastorp.se", password="eget-hemligt")
    before = _account("admin")
    warnings: list[str] = []

    people = load_demo(warn=warnings.append)

    assert _account("admin") == before
    admin.refresh_from_db()
    assert admin.check_password("eget-hemligt")
    assert not (admin.is_superuser or admin.is_staff or admin.is_plan_administrator)
    assert admin.organisation is None
    assert not admin.memberships.exists() and not admin.unit_roles.exists()
    assert "admin" not in people
    assert len(warnings) == 1 and "”admin”" in warnings[0]


def test_a_demo_username_in_another_organisation_is_left_alone(grastorp):
    other = Organisation.objects.create(slug="vara", name="Vara kommun")
    User.objects.filter(username="outsider").update(organisation=other, is_active=False)
    before = _account("outsider")
    warnings: list[str] = []

    people = load_demo(warn=warnings.append)

    assert _account("outsider") == before
    assert "outsider" not in people
    assert len(warnings) == 1 and "”outsider”" in warnings[0]


def test_a_demo_persons_own_password_and_flags_survive_later_runs(grastorp):
    medledare = User.objects.get(username="medledare")
    medledare.set_password("mitt-eget-lösenord")
    medledare.save()
    User.objects.filter(username="strateg").update(
        is_plan_administrator=False, is_active=False, first_name="Sara-Lena"
    )
    User.objects.filter(username="admin").update(is_superuser=False, is_staff=False)
    before = {username: _account(username) for username in ("medledare", "strateg", "admin")}

    load_demo()
    people = load_demo()

    assert {username: _account(username) for username in before} == before
    assert people["medledare"].check_password("mitt-eget-lösenord")
    assert set(people) == set(PERSONAS)


def test_a_missing_demo_account_is_created_with_the_demo_password_and_flags(grastorp):
    User.objects.filter(username="admin").delete()

    people = load_demo()

    admin = people["admin"]
    assert admin.check_password(DEMO_PASSWORD)
    assert admin.is_superuser and admin.is_staff and admin.is_active
    assert admin.organisation == grastorp
    assert admin.history.get().history_change_reason == "Demodata"


def test_a_role_taken_away_from_a_demo_person_stays_away(personas):
    personas["medledare"].unit_roles.all().delete()
    personas["fortroendevald"].memberships.filter(body__abbreviation="VU").delete()
    strateg = personas["strateg"]
    strateg.unit_roles.update(role=UnitRoleKind.MANAGER)  # changed on purpose, too
    rows = _row_counts()

    load_demo()

    assert _row_counts() == rows
    assert _roles(personas["medledare"]) == set()
    assert _memberships(personas["fortroendevald"]) == {("KF", MembershipRole.MEMBER)}
    assert _roles(strateg) == {("Kommunledningskontoret", UnitRoleKind.MANAGER)}


def test_a_deleted_demo_account_comes_back_with_its_roles(personas):
    User.objects.filter(username="medledare").delete()
    User.objects.filter(username="verksamhetschef").delete()

    people = load_demo()

    assert _roles(people["medledare"]) == {("Tengbergsskolan F–6", UnitRoleKind.CO_LEADER)}
    assert _roles(people["verksamhetschef"]) == {("Utbildning", UnitRoleKind.MANAGER)}
    assert _memberships(people["verksamhetschef"]) == {
        ("KLG", MembershipRole.MEMBER),
        ("LG-UTB", MembershipRole.CHAIR),
    }
    assert people["medledare"].pk != personas["medledare"].pk


def test_command_warns_about_a_skipped_account_and_marks_an_own_password(grastorp, settings):
    settings.DEBUG = True
    User.objects.filter(username="admin").update(username="tove.admin")
    User.objects.create_user("admin", password="eget-hemligt")
    medledare = User.objects.get(username="medledare")
    medledare.set_password("mitt-eget-lösenord")
    medledare.save()
    out, err = StringIO(), StringIO()

    call_command("load_demo", stdout=out, stderr=err)

    assert "Hoppar över ”admin”" in err.getvalue()
    lines = out.getvalue().splitlines()[4:]  # after the heading, the header and its rule
    table = lines[: lines.index("")]
    rows = {line.split()[0]: line.split()[2] for line in table}
    assert "admin" not in rows
    assert rows["medledare"] == "(eget"  # "(eget lösenord)"
    assert rows["strateg"] == DEMO_PASSWORD
