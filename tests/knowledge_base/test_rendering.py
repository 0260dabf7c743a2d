"""Article Markdown becomes HTML that cannot run script, load images or leak the reader."""

from __future__ import annotations

import re

import pytest

from knowledge_base.rendering import checklist_items, render_markdown

# Real payloads: raw HTML in Markdown, Markdown links and images with dangerous schemes
# (plain, mixed case, entity-encoded, with control characters), SVG/MathML and mutation XSS.
XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="javascript:alert(1)">',
    "<body onload=alert(1)>",
    '<div onmouseover="alert(1)">hover</div>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<iframe src=javascript:alert(1)></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    "<embed src=javascript:alert(1)>",
    "<form action=javascript:alert(1)><button>go</button></form>",
    '<input autofocus onfocus="alert(1)">',
    "<details open ontoggle=alert(1)>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "<style>@import 'https://evil.example/x.css';</style>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:alert(1))",
    "[click](java&#9;script:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](file:///etc/passwd)",
    '<a href="javascript&colon;alert(1)">click</a>',
    '<a href="&#x20;javascript:alert(1)">click</a>',
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![tracking pixel](https://evil.example/pixel.gif)",
    '![x](https://evil.example/x.png "onerror=alert(1)")',
    "<svg onload=alert(1)><circle r=1 /></svg>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    "<<script>script>alert(1)<</script>/script>",
    '<a href="https://example.org" onclick="alert(1)">x</a>',
    '<a href="https://example.org" target="_blank">x</a>',
    "<!--<img src=x onerror=alert(1)>-->",
    "<template><img src=x onerror=alert(1)></template>",
    "<textarea><img src=x onerror=alert(1)></textarea>",
]

DANGEROUS = re.compile(
    r"<\s*(script|img|svg|math|iframe|object|embed|form|input|style|link|meta|base|"
    r"noscript|template|textarea|details|body|button)\b"
    r"|\son\w+\s*="
    r"|(javascript|vbscript|data|file)\s*:"
    r"|\sstyle\s*="
    r"|\starget\s*=",
    re.IGNORECASE,
)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_xss_payload_survives(payload):
    html = render_markdown(payload)
    assert not DANGEROUS.search(html), html
    # Every surviving link is inert or points to an allowed scheme.
    for href in re.findall(r'href="([^"]*)"', html):
        assert href.startswith(("http://", "https://", "mailto:", "tel:", "&#109;")), html


def test_plain_text_and_formatting_survive_intact():
    body = "## What to do\n\nCall **112** now — *don't wait*.\n\n- Save evidence\n- Call the bank"
    html = render_markdown(body)
    assert "<h2>What to do</h2>" in html
    assert "<strong>112</strong>" in html
    assert "<em>don't wait</em>" in html or "<em>don&#x27;t wait</em>" in html
    assert "<li>Save evidence</li>" in html


def test_text_that_looks_like_markup_is_escaped_not_dropped():
    html = render_markdown("Use 5 < 6 and a & b, and `<b>code</b>`")
    assert "5 &lt; 6" in html
    assert "a &amp; b" in html
    assert "<code>&lt;b&gt;code&lt;/b&gt;</code>" in html


@pytest.mark.parametrize(
    ("markdown", "href"),
    [
        ("[decryptors](https://www.nomoreransom.org)", "https://www.nomoreransom.org"),
        ("[site](http://example.org/a?b=1&c=2)", "http://example.org/a?b=1&amp;c=2"),
        ("[call 112](tel:112)", "tel:112"),
    ],
)
def test_safe_links_survive_with_rel_noopener_noreferrer_nofollow(markdown, href):
    html = render_markdown(markdown)
    assert f'href="{href}"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_authors_cannot_override_rel():
    html = render_markdown('<a href="https://example.org" rel="opener">x</a>')
    assert html.count("rel=") == 1
    assert 'rel="noopener noreferrer nofollow"' in html


def test_mailto_links_survive():
    html = render_markdown("<mailto:help@example.org>")
    assert "<a href=" in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_no_images_at_all_even_from_https():
    assert "<img" not in render_markdown("![logo](https://example.org/logo.png)")
    assert "<img" not in render_markdown('<img src="/static/logo.png" alt="ours">')


def test_checklist_items_are_top_level_list_items_as_plain_text():
    body = (
        "Save these:\n\n"
        "- **Screenshots** of the [site](https://example.org),\n"
        "  with the address bar\n"
        "  - a nested hint that is not an item\n"
        "- The `transaction ID`\n\n"
        "1. Numbered items count too\n\n"
        "> - a quoted bullet is a warning, not an item\n"
    )
    assert checklist_items(body) == [
        "Screenshots of the site, with the address bar",
        "The transaction ID",
        "Numbered items count too",
    ]


@pytest.mark.parametrize("url", ["/help/first-hour/", "//evil.example/x", "relative/page", "#top"])
def test_links_without_an_allowed_scheme_lose_their_target(url):
    html = render_markdown(f"[x]({url})")
    assert "href" not in html
    assert ">x</a>" in html
