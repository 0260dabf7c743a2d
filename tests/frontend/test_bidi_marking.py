"""Officers see bidi control characters as visible markers (frontend/.../common/bidi.js)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.frontend.node import node_or_skip

ROOT = Path(__file__).resolve().parents[2]
JS = ROOT / "frontend" / "static" / "frontend" / "js"


def mark(text: str) -> str:
    node = node_or_skip()
    script = (
        f"import {{ markBidiControls }} from {json.dumps((JS / 'common' / 'bidi.js').as_uri())};"
        f"process.stdout.write(JSON.stringify(markBidiControls({json.dumps(text)})));"
    )
    out = subprocess.run(
        [node, "--input-type=module", "-e", script], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_every_bidi_control_is_replaced_by_a_named_marker():
    controls = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
    shown = mark("invoice" + "".join(controls) + "gpj.exe")
    assert shown == "invoice⟦LRE⟧⟦RLE⟧⟦PDF⟧⟦LRO⟧⟦RLO⟧⟦LRI⟧⟦RLI⟧⟦FSI⟧⟦PDI⟧gpj.exe"
    assert mark("שלום 123 Zażółć") == "שלום 123 Zażółć"


def test_the_console_shows_messages_notes_and_previews_through_the_marker():
    chats = (JS / "console" / "chats.js").read_text()
    queue = (JS / "console" / "queue.js").read_text()
    assert "shownText: markBidiControls" in chats
    assert "markBidiControls(frame.text)" in chats
    assert "markBidiControls(entry.preview)" in queue
    assert "innerHTML" not in (JS / "common" / "bidi.js").read_text()
