"""The Billing Ops app in a real browser, on the local environment: `ysg up` brings `local` up with its
sample data on a fresh emulator, `ysg app` serves it on a free localhost port, headless Chromium
(Debian's; playwright's own download cannot run here) opens every page. The cost overview's numbers
must be those of DT_ACCOUNT_BILLING, every page must render its content, and each page's screenshot
is saved for README (docs/screenshots/local-*.png)."""
from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from app_fixtures import DATABASE, REPO_ROOT
from ysg.up import bring_up

CHROMIUM = Path(os.environ.get("YSG_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = REPO_ROOT / "docs" / "screenshots"
# Every page of app/: its URL path, the screenshot's name, and what must be on it once rendered.
PAGES = (
    ("", "local-cost-overview", '[data-testid="stTable"] tbody tr'),
    ("Anomalies", "local-anomalies", '[data-testid="stDataFrame"]'),
    ("Churn_risk", "local-churn-risk", '[data-testid="stDataFrame"]'),
    ("Spend_guardrails", "local-spend-guardrails", '[data-testid="stDataFrame"]'),
    ("Ask_the_agent", "local-ask-the-agent", '[data-testid="stAlert"]'),
)
SCREENSHOT_NOISE_PIXELS = 64
STARTUP_SECONDS = 60
RENDER_MS = 45_000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _expected_from_dt_account_billing(directory: Path) -> tuple[str, dict[str, str]]:
    """Total and per-segment cost, queried from the fixture's DT_ACCOUNT_BILLING before the app opens it."""
    from fakesnow.instance import FakeSnow

    emulator = FakeSnow(db_path=directory)
    try:
        cursor = emulator.connect(database=DATABASE, schema="SFE_ANALYTICS_COSTS", paramstyle="qmark").cursor()
        cursor.execute("SELECT SEGMENT_NAME, SUM(TOTAL_COST) FROM SFE_ANALYTICS_COSTS.DT_ACCOUNT_BILLING "
                       "GROUP BY SEGMENT_NAME")
        by_segment = {segment: float(total) for segment, total in cursor.fetchall()}
    finally:
        emulator.duck_conn.close()
    return f"${sum(by_segment.values()):,.2f}", {s: f"${t:,.2f}" for s, t in by_segment.items()}


def _wait_until_healthy(process: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"`ysg app` exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"http://localhost:{port}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"`ysg app` did not answer within {STARTUP_SECONDS}s:\n{log.read_text()}")


def _save_screenshot(name: str, png: bytes, scratch: Path) -> None:
    """Write the screenshot for README when YSG_UPDATE_SCREENSHOTS=1 (into docs/screenshots/, unless the
    committed one shows the same picture: a handful of pixels, such as the data grid's scroll corner,
    differ from run to run), else into the test's scratch folder: pages show the time they were
    scored, so an ordinary test run would otherwise rewrite tracked files every time."""
    from PIL import Image, ImageChops

    folder = SCREENSHOTS if os.environ.get("YSG_UPDATE_SCREENSHOTS") == "1" else scratch
    screenshot = folder / f"{name}.png"
    if screenshot.is_file():
        old, new = (Image.open(source).convert("RGB") for source in (screenshot, io.BytesIO(png)))
        if old.size == new.size:
            changed = sum(ImageChops.difference(old, new).convert("L").histogram()[1:])
            if changed <= SCREENSHOT_NOISE_PIXELS:
                return
    folder.mkdir(parents=True, exist_ok=True)
    screenshot.write_bytes(png)


@pytest.fixture
def served_app(tmp_path, synthesized):
    """`ysg app` on the local environment brought up by `ysg up` (sample data), on a free port; always
    terminated, with its whole process group."""
    directory = tmp_path / "emulator"
    report = bring_up(directory, stack_dirs=synthesized)
    assert report.failure is None, report.failure
    expected = _expected_from_dt_account_billing(directory)
    port, log = _free_port(), tmp_path / "ysg-app.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "ysg.cli", "app", "--emulator-dir", str(directory), "--port", str(port)],
            cwd=REPO_ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_until_healthy(process, port, log)
        yield f"http://localhost:{port}/", expected
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"no Chromium at {CHROMIUM}: `make browser` installs "
                                                    "Debian's (apt-get install chromium)")
def test_every_page_renders_on_the_local_environment_and_the_totals_are_dt_account_billings(served_app, tmp_path):
    from playwright.sync_api import sync_playwright

    url, (expected_total, expected_by_segment) = served_app
    rendered = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=str(CHROMIUM), headless=True,
            args=CHROMIUM_FLAGS, viewport={"width": 1280, "height": 1500})
        try:
            page = browser.new_page()
            page.set_default_timeout(RENDER_MS)
            for path, name, content in PAGES:
                page.goto(url + path, timeout=RENDER_MS)
                page.locator(content).first.wait_for()
                if not path:
                    total = page.locator('[data-testid="stMetric"]', has_text="Total cost")
                    shown_total = total.locator('[data-testid="stMetricValue"]').inner_text().strip()
                    shown_by_segment = {}
                    for row in page.locator('[data-testid="stTable"] tbody tr').all():
                        cells = [c.strip() for c in row.locator("th, td").all_inner_texts()]
                        shown_by_segment[cells[0]] = cells[-1]
                    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for()
                page.wait_for_timeout(1500)  # let charts and data grids finish drawing before the screenshot
                rendered.append(name)
                _save_screenshot(name, page.screenshot(full_page=True), tmp_path / "screenshots")
        finally:
            browser.close()
    assert (rendered, shown_total, shown_by_segment) == (
        [name for _, name, _ in PAGES], expected_total, expected_by_segment)
