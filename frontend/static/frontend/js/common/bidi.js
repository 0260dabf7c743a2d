// Bidirectional control characters made visible on staff screens.
//
// An embedding, override or isolate (U+202A–U+202E, U+2066–U+2069) can reorder what an
// officer reads ("‮txt.exe" shown as "exe.txt"). Staff see each one replaced by a marker
// such as ⟦RLO⟧, so the text reads in stored order; the result is plain text for
// textContent, never HTML.

const NAMES = {
  "\u202A": "LRE",
  "\u202B": "RLE",
  "\u202C": "PDF",
  "\u202D": "LRO",
  "\u202E": "RLO",
  "\u2066": "LRI",
  "\u2067": "RLI",
  "\u2068": "FSI",
  "\u2069": "PDI",
};
const CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

export function markBidiControls(text) {
  return String(text ?? "").replace(CONTROLS, (control) => `⟦${NAMES[control]}⟧`);
}
