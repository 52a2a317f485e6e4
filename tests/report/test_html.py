from __future__ import annotations

import html
import json
import re
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conformance.report import write_reports
from conformance.report.files import report_dict
from conformance.report.html import render
from tests.report.builders import NASTY, run_result

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def test_values_are_escaped() -> None:
    text = render(report_dict(run_result()))
    assert text.count("<script>") == 1  # ours, at the end; the hostile one is escaped
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in text
    assert NASTY not in text


def test_nothing_external_is_referenced() -> None:
    text = render(report_dict(run_result(base_url="https://api.example.com")))
    references = re.findall(r"""(?:src|href|action)\s*=\s*["']?([^"'\s>]+)""", text, flags=re.I)
    assert references, "expected in-page links"
    assert all(ref.startswith("#") for ref in references), references
    assert not re.search(r"url\(|@import|<link|<img|<iframe", text, flags=re.I)
    assert "default-src 'none'" in html.unescape(text)


def test_print_styles_and_filters_are_present() -> None:
    text = render(report_dict(run_result()))
    assert "@media print" in text
    for status in ("passed", "failed", "warned", "skipped"):
        assert f'<input type="checkbox" value="{status}" checked>' in text


# Chromium's own background traffic (component and extension updates, account and clock
# queries), which flags do not fully silence; anything else the proxy sees came from the page.
BROWSER_SERVICE_HOSTS = {
    "update.googleapis.com",
    "accounts.google.com",
    "clients2.google.com",
    "clients1.google.com",
    "clientservices.googleapis.com",
    "redirector.gvt1.com",
    "optimizationguide-pa.googleapis.com",
    "content-autofill.googleapis.com",
    "www.google.com",  # Debian's chromium 150 opens it even for a blank page
}


class DeadProxy:
    """A loopback listener used as the browser's proxy: it notes the host of each request and
    drops the connection, so every fetch is seen and fails fast instead of hanging the browser."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.hosts: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                try:
                    line = conn.recv(4096).split(b"\r\n", 1)[0].decode("latin-1")
                except OSError:
                    line = ""
            self.hosts.append(request_host(line))

    def page_fetches(self) -> list[str]:
        """Hosts contacted other than the browser's own services."""
        return [host for host in self.hosts if host not in BROWSER_SERVICE_HOSTS]

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()


def request_host(line: str) -> str:
    """``CONNECT host:443 HTTP/1.1`` or ``GET http://host/path HTTP/1.1`` -> host."""
    parts = line.split(" ")
    if len(parts) < 2:
        return f"<unparsed {line!r}>"
    target = parts[1]
    if parts[0] == "CONNECT":
        return target.rsplit(":", 1)[0]
    return urlsplit(target).hostname or f"<unparsed {line!r}>"


def dump_dom(page: Path, profile: Path, proxy: DeadProxy) -> str:
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        f"--user-data-dir={profile}",
        f"--proxy-server=http://127.0.0.1:{proxy.port}",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        "--dump-dom",
        page.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=90, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture
def proxy() -> Iterator[DeadProxy]:
    listener = DeadProxy()
    yield listener
    listener.close()


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install chromium)")
def test_renders_offline_in_chromium_with_the_counts_of_report_json(
    tmp_path: Path, proxy: DeadProxy
) -> None:
    written = write_reports(run_result(base_url="https://api.example.com"), tmp_path / "r")
    report = json.loads(written["json"].read_text(encoding="utf-8"))
    dom = dump_dom(written["html"], tmp_path / "profile", proxy)
    shown = dict(re.findall(r'data-count="(\w+)">(\d+)<', dom))
    assert {key: int(value) for key, value in shown.items()} == report["summary"]
    total = len(report["checks"])
    assert f'<span id="shown">Showing {total} of {total} checks</span>' in dom  # the JS ran
    assert "Not conformant: 1 required check failed" in dom
    assert proxy.page_fetches() == [], "the report fetched something from the network"


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install chromium)")
def test_the_reference_report_renders_its_counts(tmp_path: Path, proxy: DeadProxy) -> None:
    reference = Path(__file__).resolve().parents[2] / "reports" / "reference"
    report = json.loads((reference / "report.json").read_text(encoding="utf-8"))
    dom = dump_dom(reference / "report.html", tmp_path / "profile", proxy)
    shown = dict(re.findall(r'data-count="(\w+)">(\d+)<', dom))
    assert {key: int(value) for key, value in shown.items()} == report["summary"]
    assert proxy.page_fetches() == []


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install chromium)")
def test_the_network_probe_sees_a_page_that_fetches(tmp_path: Path, proxy: DeadProxy) -> None:
    page = tmp_path / "fetching.html"
    page.write_text(
        '<!DOCTYPE html><title>x</title><img src="http://example.com/pixel.png">', encoding="utf-8"
    )
    dump_dom(page, tmp_path / "profile", proxy)
    assert "example.com" in proxy.page_fetches()
