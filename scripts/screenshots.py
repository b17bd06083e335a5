"""Takes the README's screenshots from a running Tillit (`make run` first).

Usage: .venv/bin/python scripts/screenshots.py [BASE_URL]   (default http://127.0.0.1:8000)
Writes docs/screenshots/*.png with Debian's chromium, as a person would see the pages.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
GOAL = "Vi utbildar barn och elever till världsmedborgare"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pdf_page_images(pdf: bytes, targets: list[Path], text: str) -> None:
    """The first page of the PDF after its table of contents that shows `text` (a goal's
    assessment) and the pages after it, as PNGs: pdftotext finds it, pdftoppm draws them."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.pdf"
        path.write_bytes(pdf)
        pages = int(
            next(
                line.split()[-1]
                for line in subprocess.run(
                    ["pdfinfo", path], capture_output=True, text=True, check=True
                ).stdout.splitlines()
                if line.startswith("Pages:")
            )
        )
        for number in range(3, pages + 1):
            page_text = subprocess.run(
                ["pdftotext", "-f", str(number), "-l", str(number), path, "-"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            if text in " ".join(page_text.split()):
                break
        for offset, target in enumerate(targets):
            page = str(number + offset)
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "90",
                    "-f",
                    page,
                    "-l",
                    page,
                    "-singlefile",
                    path,
                    target.with_suffix(""),
                ],
                check=True,
            )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(locale="sv-SE", viewport={"width": 1280, "height": 900})
        page.goto(BASE + "/")
        page.screenshot(path=OUT / "start.png", full_page=True)
        page.get_by_role("link", name=GOAL).first.click()
        page.screenshot(path=OUT / "goal.png", full_page=True)
        goal_url = page.url
        page.goto(BASE + "/logga-in/?next=" + goal_url.removeprefix(BASE))
        page.get_by_label("Användarnamn").fill("strateg")
        page.get_by_label("Lösenord").fill("tillit-demo")
        page.keyboard.press("Enter")
        page.wait_for_url(goal_url)
        page.goto(goal_url + "andra/")
        page.screenshot(path=OUT / "edit-goal.png", full_page=True)
        page.goto(BASE + "/organisation/")
        page.screenshot(path=OUT / "organisation.png", full_page=True)
        page.goto(BASE + "/verksamhetsplan/2025/")
        page.screenshot(path=OUT / "operational-plan.png", full_page=True)
        page.get_by_role("link", name="Sjukfrånvaro bland medarbetare").first.click()
        page.screenshot(path=OUT / "measure.png", full_page=True)
        page.goto(BASE + "/uppfoljning/")
        page.get_by_role("link", name="Tertial 1 2025").first.click()
        page.screenshot(path=OUT / "follow-up.png", full_page=True)
        page.goto(BASE + "/aktiviteter/?princip=digitalisering")
        page.screenshot(path=OUT / "activities.png", full_page=True)
        page.goto(BASE + "/dialoger/?ar=2026")
        page.screenshot(path=OUT / "dialogues.png", full_page=True)
        page.goto(BASE + "/arshjul/2026/")
        page.screenshot(path=OUT / "yearly-calendar.png", full_page=True)
        page.goto(BASE + "/ekonomi/2026/?manad=10")
        page.screenshot(path=OUT / "economy.png", full_page=True)
        page.get_by_role("link", name="Vård och omsorg").first.click()
        page.screenshot(path=OUT / "economy-operation.png", full_page=True)
        page.goto(BASE + "/ekonomi/balanskrav/")
        page.screenshot(path=OUT / "balance-requirement.png", full_page=True)
        page.goto(BASE + "/rapporter/")
        page.get_by_role("link", name="Delårsrapport 2026").first.click()
        page.screenshot(path=OUT / "report.png")  # the panel: state, what is missing
        page.goto(BASE + "/rapporter/")
        page.get_by_role("link", name="Årsredovisning 2025").first.click()
        pdf = page.request.get(page.url + "dokument.pdf").body()
        pdf_page_images(pdf, [OUT / "report-pdf-page.png", OUT / "report-pdf-chart.png"], GOAL)
        page.goto(BASE + "/sok/?q=l%C3%A4sning")
        page.screenshot(path=OUT / "search.png")
        browser.close()
        # The public side, as a citizen sees it: not logged in, on a computer and a phone.
        visitor = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = visitor.new_page(locale="sv-SE", viewport={"width": 1280, "height": 900})
        page.goto(BASE + "/insyn/")
        page.screenshot(path=OUT / "portal.png")
        page.goto(BASE + "/insyn/oppna-data/")
        page.screenshot(path=OUT / "open-data.png")
        phone = visitor.new_page(
            locale="sv-SE", viewport={"width": 390, "height": 844}, device_scale_factor=2
        )
        phone.goto(BASE + "/insyn/")
        phone.get_by_role("link", name=GOAL).first.click()
        phone.screenshot(path=OUT / "portal-goal-phone.png")
        visitor.close()
    print(f"Screenshots in {OUT}")


if __name__ == "__main__":
    main()
