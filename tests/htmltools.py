"""HTML checks shared by the tests: a small tree from the standard library's parser, and what a page may not load.

This is the one HTML parser of the test suite (``html.parser``, no dependency).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list = field(default_factory=list)  # Node or str
    parent: Node | None = None

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self, tag: str | None = None):
        for child in self.children:
            if isinstance(child, Node):
                if tag is None or child.tag == tag:
                    yield child
                yield from child.iter(tag)

    def find(self, tag: str | None = None, **attrs: str) -> list[Node]:
        """Descendants with ``tag`` whose attributes include ``attrs`` (``class_`` matches one class)."""
        wanted = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
        found = []
        for node in self.iter(tag):
            ok = True
            for key, value in wanted.items():
                have = node.attrs.get(key)
                if key == "class":
                    ok = ok and have is not None and value in have.split()
                else:
                    ok = ok and have == value
            if ok:
                found.append(node)
        return found

    def first(self, tag: str | None = None, **attrs: str) -> Node:
        (node, *_) = self.find(tag, **attrs)
        return node


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root
        self.unclosed: list[str] = []

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs}, parent=self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, {k: v or "" for k, v in attrs}, parent=self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is None or node.parent is None:
            self.unclosed.append(tag)
            return
        if node is not self.current:
            self.unclosed.append(self.current.tag)
        self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(text: str) -> Node:
    """The document's tree; an end tag without its start, or an element left open, fails."""
    builder = _Builder()
    builder.feed(text)
    builder.close()
    assert builder.unclosed == [] and builder.current is builder.root, builder.unclosed
    return builder.root


# Anything the browser would fetch: a URL in an attribute that loads or links, or in CSS.
_URL = re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*:|^//)")


def external_references(root: Node, text: str) -> list[str]:
    """Every place the page would load something from outside itself (a namespace is not a load)."""
    found = []
    for node in root.iter():
        if node.tag in ("script", "link", "img", "iframe", "object", "embed", "audio", "video", "source"):
            found.append(f"<{node.tag}>")
        for name, value in node.attrs.items():
            if name in ("src", "href", "xlink:href", "action", "srcset", "poster", "data") and not value.startswith(
                "#"
            ):
                found.append(f"{name}={value}")
    for url in re.findall(r"url\(\s*['\"]?([^)'\"]*)", text):
        if not url.startswith("#"):
            found.append(f"url({url})")
    found += re.findall(r"@import[^;]*", text)
    return found
