"""Reading outcome into the ledger in a browser: upload, preview, import, the report."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

YEAR = 2031


def test_the_economist_previews_and_imports_a_sie_file(
    page, live_server, grastorp, login, visit, follow, tmp_path
):
    from tillit.economy.models import Outcome, OutcomeImport

    path = tmp_path / "utfall-feb.se"
    path.write_bytes(
        "\r\n".join(
            [
                "#FLAGGA 0",
                "#SIETYP 4",
                f"#RAR 0 {YEAR}0101 {YEAR}1231",
                '#OBJEKT 1 T610 "Gata och park"',
                '#KONTO 45101 "Löner"',
                f'#PSALDO 0 {YEAR}02 45101 {{1 "T610"}} 1500.00',
                "#EGENPOST 1",
                "",
            ]
        ).encode("cp437")
    )
    login(page, live_server, "ekonom")
    visit(page, "/ekonomi/import/")
    page.locator("#id_file").set_input_files(str(path))
    page.locator("#id_dry_run").check()
    follow(page.locator("#import-form button[type=submit]"))
    expect(page.locator("#import-preview")).to_be_visible()
    expect(page.locator("#preview-rows")).to_have_text("1")
    assert not Outcome.objects.filter(organisation=grastorp, year=YEAR).exists()

    page.locator("#id_file").set_input_files(str(path))
    page.locator("#id_file").focus()
    follow(page.locator("#import-form button[type=submit]"))
    record = OutcomeImport.objects.get(organisation=grastorp, file_name="utfall-feb.se")
    assert page.url.endswith(f"/ekonomi/import/{record.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("utfall-feb.se")
    expect(page.locator("#unmapped")).to_contain_text("1 / T610 Gata och park")
    expect(page.locator("#skipped")).to_contain_text("#EGENPOST")
    assert Outcome.objects.get(organisation=grastorp, year=YEAR).amount == 1500

    visit(page, "/ekonomi/import/")
    expect(page.locator("#import-history")).to_contain_text("utfall-feb.se")


def test_an_error_is_announced(page, live_server, grastorp, login, visit, follow, tmp_path):
    path = tmp_path / "fel.csv"
    path.write_bytes(f"år;månad;konto;enhet;belopp\r\n{YEAR};13;45101;;1\r\n".encode())
    login(page, live_server, "ekonom")
    visit(page, "/ekonomi/import/")
    page.locator("#id_file").set_input_files(str(path))
    follow(page.locator("#import-form button[type=submit]"))
    expect(page.get_by_role("alert").first).to_contain_text(
        "Rad 2, kolumn ”månad”: ”13” är ingen månad (1–12)."
    )
