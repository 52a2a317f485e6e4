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
from typing import NamedTuple
from urllib.parse import urlsplit

import pytest

from conformance.report import write_reports
from conformance.report.files import report_dict
from conformance.report.html import render
from tests.report.builders import NASTY, run_result, stress_report

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


def dump_dom(page: Path, profile: Path, proxy: DeadProxy, *extra: str) -> str:
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
        *extra,
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


def article(text: str, check_id: str) -> str:
    start = text.index(f'id="{check_id.lower()}" data-status="failed">')
    return text[start : text.index("</article>", start)]


def test_each_failure_shows_expected_and_received_once() -> None:
    text = render(report_dict(run_result()))
    failure = article(text, "NF-PAG-003")
    assert failure.count("no pagination.cursor when hasNextPage is false") == 1
    assert failure.count("cursor=&#x27;eyJwIjoyfQ&#x27;") == 1
    assert "<dt>Expected</dt>" in failure
    assert "<dt>Received</dt>" in failure
    assert "Message" not in failure
    # nowhere else on the page either: the table rows link to the article
    assert text.count("no pagination.cursor when hasNextPage is false") == 1
    assert '<a href="#nf-pag-003">expected and received</a>' in text


def test_a_message_that_adds_to_expected_and_received_is_shown_once() -> None:
    result = run_result()
    result.checks[0].message = "the third of 3 pages"
    failure = article(render(report_dict(result)), "NF-PAG-003")
    assert failure.count("<dt>Message</dt><dd>the third of 3 pages</dd>") == 1


def test_json_bodies_are_indented() -> None:
    failure = article(render(report_dict(run_result())), "NF-PAG-003")
    assert (
        '<pre class="json">{\n  &quot;data&quot;: {\n    &quot;containers&quot;: []\n  },\n'
    ) in failure
    # a body that is not JSON is shown as sent, escaped
    hostile = article(render(report_dict(run_result())), "NF-ERR-001")
    assert "<pre>&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in hostile


def test_a_body_of_several_kb_shows_its_first_lines_and_a_show_all() -> None:
    text = render(stress_report())
    big = article(text, "NF-PAG-001")
    assert big.count('<pre class="preview">') == 1
    summary = re.search(r"<details><summary>Show all (\d+) lines \((\d+\.\d) KB\)</summary>", big)
    assert summary, big[:2000]
    assert int(summary.group(1)) > 100
    full = big.split("</summary>", 1)[1]
    assert full.lstrip().startswith('<pre class="json">{\n')
    assert "nightly-0059-" in full  # the last container is there in full
    assert "nightly-0059-" not in big.split("<details>", 1)[0]  # but not in the preview
    small = article(text, "NF-PAG-002")
    assert "<details>" not in small
    assert '<pre class="json">' in small


def test_failures_link_to_their_har_entries_when_the_run_was_recorded() -> None:
    text = render(stress_report(har="run 1.har"))
    failure = article(text, "NF-PAG-001")
    assert '<a href="run%201.har#entry-2">HAR entry 2</a>' in failure
    assert '<a href="run%201.har#entry-3">HAR entry 3</a>' in failure
    assert "log.entries[2] of run 1.har" in failure
    assert "<code>jq &#x27;.log.entries[2]&#x27; &#x27;run 1.har&#x27;</code>" in failure
    hrefs = re.findall(r'href="([^"]+)"', text)
    assert all(href.startswith(("#", "run%201.har#entry-")) for href in hrefs)


def test_no_har_line_without_a_recording() -> None:
    assert "HAR entry" not in render(report_dict(run_result()))
    unnamed = render(stress_report(har=None))
    assert "HAR entry 2:" in unnamed  # the index alone, without a link
    assert 'href="run' not in unnamed


def test_a_har_file_name_that_is_a_url_is_never_a_link() -> None:
    text = render(stress_report(har="javascript:alert(1)"))
    assert "HAR entry 2" in text
    assert 'href="javascript' not in text
    assert all(ref.startswith("#") for ref in re.findall(r'href="([^"]+)"', text))


# The page is embedded in an iframe of the wanted width (Chromium's headless window is at least
# 500 px wide); the script measures it from the outside and writes the result into the DOM.
MEASURED_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<style>body {{ margin: 0 }} iframe {{ border: 0; width: {width}px; height: 900px }}</style>
</head><body><iframe id="page" srcdoc="{srcdoc}"></iframe><script>
document.getElementById("page").addEventListener("load", function () {{
  var win = this.contentWindow, doc = this.contentDocument, wide = [];
  doc.querySelectorAll("body *").forEach(function (el) {{
    var box = el.getBoundingClientRect();
    var clipped = el.scrollWidth > el.clientWidth + 1 &&
      win.getComputedStyle(el).overflowX !== "visible";
    if (box.width > 0 && (box.right > win.innerWidth + 0.5 || clipped)) {{
      wide.push(el.tagName.toLowerCase() + "." + el.className + " right " +
        Math.round(box.right) + ", scrolls " + el.scrollWidth + " in " + el.clientWidth);
    }}
  }});
  var out = document.createElement("output");
  out.id = "measured";
  out.setAttribute("data-scroll-width", doc.documentElement.scrollWidth);
  out.setAttribute("data-inner-width", win.innerWidth);
  out.setAttribute("data-failures", doc.querySelectorAll("article.check").length);
  out.textContent = JSON.stringify(wide.slice(0, 10));
  document.body.appendChild(out);
}});
</script></body></html>"""


class Measured(NamedTuple):
    scroll_width: int  # of the page's document: wider than inner_width means a scrollbar
    inner_width: int
    failures: int  # failure articles on the page, so an empty page cannot pass
    too_wide: list[str]  # elements past the right edge, or clipped in their own scroll box


def measure(page: Path, width: int, tmp_path: Path, proxy: DeadProxy) -> Measured:
    wrapper = tmp_path / f"measure-{width}.html"
    srcdoc = html.escape(page.read_text(encoding="utf-8"), quote=True)
    wrapper.write_text(MEASURED_PAGE.format(width=width, srcdoc=srcdoc), encoding="utf-8")
    dom = dump_dom(wrapper, tmp_path / "profile", proxy, "--window-size=1400,1000")
    found = re.search(r'<output id="measured" ([^>]*)>(.*?)</output>', dom, flags=re.S)
    assert found, "the measuring script did not run"
    values = {k: int(v) for k, v in re.findall(r'data-([a-z-]+)="(\d+)"', found.group(1))}
    return Measured(
        values["scroll-width"],
        values["inner-width"],
        values["failures"],
        json.loads(html.unescape(found.group(2))),
    )


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install chromium)")
@pytest.mark.parametrize("width", [1280, 390])
def test_nothing_needs_horizontal_scrolling_on_a_desktop_or_a_phone(
    width: int, tmp_path: Path, proxy: DeadProxy
) -> None:
    report = stress_report()
    page = tmp_path / "report.html"
    page.write_text(render(report), encoding="utf-8")
    measured = measure(page, width, tmp_path, proxy)
    assert measured.inner_width == width
    assert measured.failures == report["summary"]["failed"]  # the page really was measured
    assert measured.too_wide == []
    assert measured.scroll_width <= width
    reference = Path(__file__).resolve().parents[2] / "reports" / "reference" / "report.html"
    measured = measure(reference, width, tmp_path, proxy)
    assert measured.inner_width == width
    assert measured.too_wide == []
    assert measured.scroll_width <= width
