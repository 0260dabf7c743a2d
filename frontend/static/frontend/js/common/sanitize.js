// Defence in depth for article HTML: the server sanitises it with bleach; this keeps only
// a small allow-list again, so nothing in it can load a resource from another origin.

const ALLOWED = new Set([
  "a", "abbr", "b", "blockquote", "br", "code", "dd", "div", "dl", "dt", "em", "h1", "h2",
  "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "section", "small", "span",
  "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
]);
const DROP_WITH_CONTENT = new Set(["script", "style", "iframe", "object", "embed", "template", "svg", "math"]);
const ATTRIBUTES = { a: ["href", "title"], abbr: ["title"], td: ["colspan", "rowspan"], th: ["colspan", "rowspan", "scope"] };

function safeHref(value) {
  const url = new URL(value, location.href);
  return ["http:", "https:", "mailto:", "tel:"].includes(url.protocol);
}

function clean(node) {
  for (const child of Array.from(node.childNodes)) {
    if (child.nodeType === Node.TEXT_NODE) continue;
    if (child.nodeType !== Node.ELEMENT_NODE) {
      child.remove();
      continue;
    }
    const tag = child.localName;
    if (DROP_WITH_CONTENT.has(tag)) {
      child.remove();
      continue;
    }
    clean(child);
    if (!ALLOWED.has(tag)) {
      child.replaceWith(...Array.from(child.childNodes));
      continue;
    }
    const keep = ATTRIBUTES[tag] || [];
    for (const attr of Array.from(child.attributes)) {
      if (!keep.includes(attr.name)) child.removeAttribute(attr.name);
    }
    if (tag === "a") {
      const href = child.getAttribute("href");
      if (href && !safeHref(href)) child.removeAttribute("href");
      child.setAttribute("rel", "noopener noreferrer");
      if (href && new URL(href, location.href).origin !== location.origin) child.setAttribute("target", "_blank");
    }
  }
}

/** A fragment holding `html` (already bleach-sanitised by the server) reduced to the allow-list. */
export function articleFragment(html) {
  const doc = new DOMParser().parseFromString(`<body>${html || ""}</body>`, "text/html");
  clean(doc.body);
  const fragment = document.createDocumentFragment();
  fragment.append(...Array.from(doc.body.childNodes).map((n) => document.importNode(n, true)));
  return fragment;
}
