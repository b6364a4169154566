#!/usr/bin/env python3
"""Checks every link of the generated site (target/site after `mvn site`), offline.

- A link inside the site (relative, or absolute to a file of it) must name a file that exists, and its #fragment an
  id (or a name) that the page has. Links may not climb out of the site directory.
- Every page must be reachable from index.html by following links, so no page (a new goal's, say) is left out of
  the menu and the pages that list goals.
- An external link (http, https, mailto) must be well formed: scheme, host, no spaces; it is not fetched, since CI
  may have no network and an outside server's mood must not fail the build.
Prints one line per broken link (page: link: why) and a summary; exits 1 when any link is broken.

Usage: check-site-links.py [SITE_DIR]   (default target/site)
"""
import os
import re
import sys
from html.parser import HTMLParser
from urllib.parse import unquote, urldefrag, urlsplit

SITE = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "target/site")
LINK_ATTRIBUTES = {("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"), ("iframe", "src")}
# Links the skin writes that point at nothing by design.
IGNORED = {"#", "javascript:void(0)", ""}


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []  # (tag, url, line)
        self.anchors = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("id",) or (tag == "a" and name == "name"):
                if value:
                    self.anchors.add(value)
            if (tag, name) in LINK_ATTRIBUTES and value is not None:
                self.links.append((tag, value.strip(), self.getpos()[0]))


def parse(path):
    page = Page()
    with open(path, encoding="utf-8", errors="replace") as f:
        page.feed(f.read())
    return page


def well_formed_external(url):
    parts = urlsplit(url)
    if parts.scheme == "mailto":
        return re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", parts.path) is not None
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not re.search(r"\s", url) \
        and "." in parts.hostname


def main():
    if not os.path.isfile(os.path.join(SITE, "index.html")):
        print(f"check-site-links: no {SITE}/index.html: run `mvn site` first", file=sys.stderr)
        return 1
    pages = {}
    for root, _, files in os.walk(SITE):
        for name in files:
            if name.endswith(".html"):
                path = os.path.join(root, name)
                pages[path] = parse(path)

    broken = []
    checked_internal = checked_external = 0
    edges = {path: set() for path in pages}
    for path, page in sorted(pages.items()):
        rel_page = os.path.relpath(path, SITE)
        for tag, url, line in page.links:
            if url in IGNORED or url.startswith("javascript:"):
                continue
            parts = urlsplit(url)
            if parts.scheme or url.startswith("//"):
                checked_external += 1
                if not well_formed_external(url):
                    broken.append(f"{rel_page}:{line}: {url}: not a well-formed external link")
                continue
            checked_internal += 1
            target_url, fragment = urldefrag(url)
            if target_url == "":
                target = path
            else:
                base = SITE if target_url.startswith("/") else os.path.dirname(path)
                target = os.path.normpath(os.path.join(base, unquote(target_url).lstrip("/")))
                if os.path.isdir(target):
                    target = os.path.join(target, "index.html")
            if os.path.relpath(target, SITE).startswith(".."):
                broken.append(f"{rel_page}:{line}: {url}: points outside the site")
                continue
            if not os.path.isfile(target):
                broken.append(f"{rel_page}:{line}: {url}: no such file {os.path.relpath(target, SITE)}")
                continue
            if target in pages:
                edges[path].add(target)
                if fragment and unquote(fragment) not in pages[target].anchors:
                    broken.append(f"{rel_page}:{line}: {url}: {os.path.relpath(target, SITE)} has no id '{fragment}'")

    # Reachability from the home page.
    home = os.path.join(SITE, "index.html")
    seen, todo = {home}, [home]
    while todo:
        for nxt in edges[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    for path in sorted(set(pages) - seen):
        broken.append(f"{os.path.relpath(path, SITE)}: no link leads to it from index.html")

    for line in broken:
        print("check-site-links: " + line)
    print(f"check-site-links: {len(pages)} pages, {checked_internal} internal links, "
          f"{checked_external} external links (form only), {len(broken)} broken")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
