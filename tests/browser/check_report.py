#!/usr/bin/env python3
"""check_report.py: checks of a parley HTML report as a browser rendered it.

  check_report.py dom DOM.html SCENARIO.json [--all-named]
      DOM.html: chromium --dump-dom of the report; SCENARIO.json: the
      scenario (parley show --format json).  One issue chart per issue
      (svg.issue-chart, each with its own <title> naming the issue), a dot
      per actor with a stake (circle.dot with data-actor), every <svg> with
      a <title> and an aria-label, ...  SCENARIO.json may be counts:I:A
      instead: I issue charts with a dot for each of A actors; or svgs:N: a
      page without issues (GENIUS, backtest) with at least N charts; or
      negotiation:P:S: a negotiation's page (parley negotiate --format
      html) with P charts of offers over time (svg.time-chart), each with
      S series of offers (g.series) with points in their polyline, and one
      chart of the utility space (svg#offers-space).  Every <svg> with
      a <title> and an aria-label, no script error recorded by the page's
      error hook; --all-named: every actor with a stake has a text label in
      its issue's chart.
  check_report.py console STDERR.txt
      chromium's log (--enable-logging=stderr): no console error.
  check_report.py png SHOT.png
      the screenshot is a PNG whose pixels are not all one colour (decoded
      with zlib: no imaging library needed).
  check_report.py file REPORT.html MAX_BYTES
      at most MAX_BYTES, and self-contained: nothing loaded from elsewhere
      (no src=, <link, @import or url( pointing outside the file).
"""
import json
import re
import struct
import sys
import zlib
from html.parser import HTMLParser


def fail(msg):
    print("check_report: " + msg, file=sys.stderr)
    sys.exit(1)


class Dom(HTMLParser):
    """The charts of a report: for each <svg>, its class, id, title,
    aria-label, dots and labels."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.svgs = []
        self.stack = []  # open svg dicts
        self.in_title = None
        self.in_label = None
        self.js_error = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html" and "data-js-error" in a:
            self.js_error = a["data-js-error"]
        if tag == "svg":
            svg = {"class": a.get("class", ""), "id": a.get("id", ""),
                   "aria": a.get("aria-label"), "title": None, "dots": [],
                   "labels": [], "series": []}
            self.svgs.append(svg)
            self.stack.append(svg)
        elif self.stack and tag == "title" and self.stack[-1]["title"] is None:
            self.in_title = self.stack[-1]
            self.in_title["title"] = ""
        elif self.stack and tag == "g" and "series" in a.get("class", "").split():
            self.stack[-1]["series"].append([a.get("data-series"), 0])
        elif (self.stack and tag == "polyline" and self.stack[-1]["series"]
              and self.stack[-1]["series"][-1][1] == 0):
            self.stack[-1]["series"][-1][1] = len(a.get("points", "").split())
        elif self.stack and tag == "circle" and "dot" in a.get("class", "").split():
            self.stack[-1]["dots"].append(a.get("data-actor"))
        elif self.stack and tag == "text" and "data-actor" in a:
            self.in_label = a["data-actor"]
            self.stack[-1]["labels"].append(a["data-actor"])

    def handle_endtag(self, tag):
        if tag == "svg" and self.stack:
            self.stack.pop()
        if tag == "title":
            self.in_title = None
        if tag == "text":
            self.in_label = None

    def handle_data(self, data):
        if self.in_title is not None:
            self.in_title["title"] += data


def check_dom(dom_path, scenario_path, all_named):
    dom = Dom()
    with open(dom_path, encoding="utf-8") as f:
        dom.feed(f.read())
    if scenario_path.startswith("negotiation:"):
        n_time, n_series = (int(x) for x in scenario_path.split(":")[1:3])
        check_negotiation(dom, n_time, n_series)
        return
    if scenario_path.startswith("svgs:"):  # svgs:N: no issue charts, at least N charts
        sc, n_svgs = None, int(scenario_path.split(":")[1])
    elif scenario_path.startswith("counts:"):  # counts:ISSUES:ACTORS (every actor on every issue)
        n_issues, n_actors = (int(x) for x in scenario_path.split(":")[1:3])
        sc = {"issues": [{"id": None, "name": ""} for _ in range(n_issues)], "positions": None,
              "n_actors": n_actors}
    else:
        with open(scenario_path, encoding="utf-8") as f:
            sc = json.load(f)
    if dom.js_error:
        fail("a script error in the page: " + dom.js_error)
    for svg in dom.svgs:
        if not svg["title"] or not svg["aria"]:
            fail("an <svg> (id %r) without its own <title> and aria-label" % svg["id"])
    if sc is None:  # svgs:N -- a page without issues (GENIUS, backtest)
        if len(dom.svgs) < n_svgs:
            fail("expected at least %d charts, found %d" % (n_svgs, len(dom.svgs)))
        print("check_report: %d svg elements, all titled" % len(dom.svgs))
        return
    charts = [s for s in dom.svgs if "issue-chart" in s["class"].split()]
    issues = sc["issues"]
    if len(charts) != len(issues):
        fail("expected %d issue charts, found %d" % (len(issues), len(charts)))
    titles = set()
    for issue, chart in zip(issues, charts):
        if issue["id"] is None:
            if len(chart["dots"]) != sc["n_actors"] or len(set(chart["dots"])) != sc["n_actors"]:
                fail("chart %s: expected a dot for each of %d actors, found %d"
                     % (chart["id"], sc["n_actors"], len(chart["dots"])))
            titles.add(chart["title"])
            continue
        if chart["id"] != "issue-" + issue["id"]:
            fail("expected the chart of issue %s, found %r" % (issue["id"], chart["id"]))
        if issue["name"] not in chart["title"]:
            fail("the chart of %s: its title does not name the issue" % issue["id"])
        titles.add(chart["title"])
        stakes = sorted(p["actor"] for p in sc["positions"] if p["issue"] == issue["id"])
        if sorted(chart["dots"]) != stakes:
            fail("issue %s: expected a dot for each of %d actors, found %d dots"
                 % (issue["id"], len(stakes), len(chart["dots"])))
        if all_named and sorted(chart["labels"]) != stakes:
            missing = set(stakes) - set(chart["labels"])
            fail("issue %s: actors without a label: %s" % (issue["id"], ", ".join(sorted(missing))))
    if len(titles) != len(charts):
        fail("two issue charts share a title")
    print("check_report: %d issue charts, %d dots, %d svg elements, all titled"
          % (len(charts), sum(len(c["dots"]) for c in charts), len(dom.svgs)))


def check_negotiation(dom, n_time, n_series):
    if dom.js_error:
        fail("a script error in the page: " + dom.js_error)
    for svg in dom.svgs:
        if not svg["title"] or not svg["aria"]:
            fail("an <svg> (id %r) without its own <title> and aria-label" % svg["id"])
    times = [s for s in dom.svgs if "time-chart" in s["class"].split()]
    if len(times) != n_time:
        fail("expected %d charts of offers over time, found %d" % (n_time, len(times)))
    for chart in times:
        if len(chart["series"]) != n_series:
            fail("chart %s: expected %d series, found %d"
                 % (chart["id"], n_series, len(chart["series"])))
        for name, points in chart["series"]:
            if points < 1:
                fail("chart %s: the series of %s has no point" % (chart["id"], name))
    if len([s for s in dom.svgs if s["id"] == "offers-space"]) != 1:
        fail("expected one chart of the utility space (svg#offers-space)")
    print("check_report: %d charts of offers over time with %d series each, the utility space, "
          "%d svg elements, all titled" % (n_time, n_series, len(dom.svgs)))


def check_console(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if ":CONSOLE" in line and ("Uncaught" in line or "Error" in line or ":ERROR:" in line):
                fail("console error: " + line.strip())
    print("check_report: no console error")


def check_png(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail("%s: not a PNG" % path)
    pos, idat, width, height, ctype, depth = 8, b"", 0, 0, 0, 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    if depth != 8 or ctype not in (2, 6):
        fail("%s: expected 8-bit RGB(A), found depth %d colour type %d" % (path, depth, ctype))
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    colours = set()
    dark = 0
    i = 0
    for _ in range(height):
        ftype = raw[i]
        line = bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):  # undo the PNG filters
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if ftype == 1:
                line[x] = (line[x] + a) & 255
            elif ftype == 2:
                line[x] = (line[x] + b) & 255
            elif ftype == 3:
                line[x] = (line[x] + ((a + b) >> 1)) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pred) & 255
        for x in range(0, stride, bpp * 7):
            px = bytes(line[x:x + 3])
            colours.add(px)
            if sum(px) < 200:
                dark += 1
        prev = line
    if len(colours) < 16 or dark < 100:
        fail("%s: the screenshot looks blank (%d colours, %d dark pixels sampled)"
             % (path, len(colours), dark))
    print("check_report: screenshot %dx%d, %d colours, %d dark pixels sampled"
          % (width, height, len(colours), dark))


def check_file(path, max_bytes):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) > max_bytes:
        fail("%s: %d bytes, expected at most %d" % (path, len(data), max_bytes))
    text = data.decode("utf-8")
    for pattern in (r"\bsrc\s*=", r"<link\b", r"@import", r"url\(", r"<iframe", r"<object",
                    r"<embed", r"\bhref\s*=\s*\"(?!#)"):
        m = re.search(pattern, text, re.I)
        if m:
            fail("%s: not self-contained: %r at byte %d" % (path, m.group(0), m.start()))
    print("check_report: %s: %d bytes, self-contained" % (path, len(data)))


def main(argv):
    if len(argv) >= 4 and argv[1] == "dom":
        check_dom(argv[2], argv[3], "--all-named" in argv[4:])
    elif len(argv) == 3 and argv[1] == "console":
        check_console(argv[2])
    elif len(argv) == 3 and argv[1] == "png":
        check_png(argv[2])
    elif len(argv) == 4 and argv[1] == "file":
        check_file(argv[2], int(argv[3]))
    else:
        fail("usage: see the file's docstring")


if __name__ == "__main__":
    main(sys.argv)
