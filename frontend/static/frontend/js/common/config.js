// Reads the JSON blobs a page template hands to its scripts through `json_script`.

export function readJSON(id) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : {};
}

export const config = readJSON("page-config");
