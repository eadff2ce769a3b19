// Where keyboard focus goes when a page changes under it (WCAG 2.4.3): one helper for every
// script that re-renders part of a page, closes something, or wants attention after a reload.
// Focus is never left on <body>: it moves to the counterpart of what had it, or to a sensible
// neighbour, or to the region the change happened in.

/** Focus ``node``; a node that cannot take focus gets tabindex=-1 first (so only scripts can). */
export function focus(node) {
  if (!node) return false;
  if (!node.matches("a[href], button, input, select, textarea, summary, [tabindex]")) node.tabIndex = -1;
  node.focus();
  return document.activeElement === node;
}

/** After a page load: focus what asked for it (an error summary, a result), if anything. */
export function focusOnLoad() {
  const target = document.querySelector("[data-focus-on-load]");
  if (!target) return;
  focus(target);
  // Going to a #fragment (a saved talk's place in the grid, or #main after the skip link, which a
  // form without an action keeps) moves focus to the fragment, or clears it, once the page has
  // loaded: focus the target again then, unless the user has moved on.
  if (location.hash) {
    window.addEventListener("load", () => requestAnimationFrame(() => {
      const now = document.activeElement;
      if (now === document.body || now.matches(":target")) focus(target);
    }), { once: true });
  }
}

// The data-* attributes that name an item across re-renders: a talk, an exhibitor's stand.
const KEYS = ["talk", "exhibitor"];

// How to find a node again in content that was rebuilt: its id, or its nearest ancestor's id (or
// key, above) plus the path of child positions from there.
function addressOf(node, container) {
  const path = [];
  let at = node;
  while (at && at !== container) {
    if (at.id) return { id: at.id, path };
    const key = KEYS.find((name) => at.dataset?.[name]);
    if (key) return { key, value: at.dataset[key], path };
    path.unshift([...at.parentNode.children].indexOf(at));
    at = at.parentNode;
  }
  return { path };
}

function find(address, container) {
  let at = container;
  if (address.id) at = container.querySelector(`#${CSS.escape(address.id)}`);
  else if (address.key) at = container.querySelector(`[data-${address.key}="${CSS.escape(address.value)}"]`);
  for (const index of address.path) at = at?.children[index];
  return at || null;
}

/**
 * Run ``rebuild`` (which replaces what ``container`` shows). If focus was inside, it goes to the
 * same control in the new content, else to ``fallback`` (by default the container itself).
 */
export function keepFocus(container, rebuild, fallback = container) {
  const had = document.activeElement;
  const inside = had && had !== document.body && container.contains(had);
  const address = inside ? addressOf(had, container) : null;
  const result = rebuild();
  if (inside && document.activeElement !== had) {
    const again = find(address, container);
    if (!(again && focus(again))) focus(typeof fallback === "function" ? fallback() : fallback);
  }
  return result;
}

/**
 * Remove ``node``. If focus was inside it, focus moves to the next sibling's first control, else
 * the previous one's, else ``fallback`` (a node, or a function asked after the removal; by default
 * the node's parent), else the page's main part.
 */
export function removeKeepingFocus(node, fallback = null) {
  const had = document.activeElement;
  const inside = had && node.contains(had);
  const next = node.nextElementSibling || node.previousElementSibling;
  const parent = node.parentElement;
  node.remove();
  if (!inside) return;
  const target = next ? next.querySelector("button, a[href]") || next
    : (typeof fallback === "function" ? fallback() : fallback) || parent;
  if (!focus(target)) focus(document.getElementById("main"));
}
