// messe admin: small enhancements on top of pages that work without JavaScript.
//  - [data-focus-on-load]: move focus to an error summary so screen readers announce it;
//  - form[data-confirm]: ask before a destructive or far-reaching action, once the form can be
//    sent (a required field left empty is answered by the error summary, without a question);
//  - button[data-copy]: copy a shown-once secret (token, personal link) to the clipboard;
//  - form[data-live-search]: search as you type, replacing only the results region (its status
//    line, the count, is updated in place so that it is announced);
//  - details[data-fold-narrow]: the admin menu, folded into one line where it is no sidebar;
//  - .table-scroll: a table wider than the window scrolls in its region, which then takes the
//    keyboard focus (arrow keys scroll it) and is named by the table's caption (2.1.1).

import { focusOnLoad, keepFocus } from "../focus.js";

const SEARCH_DELAY_MS = 250;

function confirmBeforeSubmit() {
  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-confirm]");
    if (form && form.checkValidity() && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });
}

function copyButtons() {
  document.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-copy]");
    if (!button) return;
    const source = document.getElementById(button.dataset.copy);
    try {
      await navigator.clipboard.writeText(source.textContent.trim());
      button.textContent = button.dataset.copied;
    } catch {  // no clipboard here: select the text, for copying by hand
      if (source.select) source.select();
      else window.getSelection().selectAllChildren(source);
    }
  });
}

/**
 * Show ``fresh``'s content in ``region``, except that the region's status line (role=status, the
 * count of results) stays the same node and only its text changes: a screen reader announces a
 * change to a live region it knows, not a new one put in its place (4.1.3).
 */
function swapKeepingStatus(region, fresh) {
  const status = region.querySelector(":scope > [role=status]");
  const news = fresh.querySelector(":scope > [role=status]");
  if (!status || !news) {
    region.replaceChildren(...fresh.childNodes);
    return;
  }
  const nodes = [...fresh.childNodes];
  const at = nodes.indexOf(news);
  for (const child of [...region.childNodes]) if (child !== status) child.remove();
  status.before(...nodes.slice(0, at));
  status.after(...nodes.slice(at + 1));
  status.className = news.className;
  if (status.textContent !== news.textContent) status.textContent = news.textContent;
}

function liveSearch(form) {
  const region = document.getElementById(form.dataset.liveSearch);
  let timer;
  let latest = 0;
  const run = async () => {
    const query = new URLSearchParams(new FormData(form));
    for (const [key, value] of [...query]) if (!value) query.delete(key);
    const url = `${form.getAttribute("action") || location.pathname}?${query}`;
    const ticket = ++latest;
    const response = await fetch(url, { headers: { Accept: "text/html" } });
    if (!response.ok || ticket !== latest) return;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = page.getElementById(region.id);
    if (!fresh) return;
    keepFocus(region, () => swapKeepingStatus(region, fresh), form.querySelector("input, select"));
    history.replaceState(null, "", url);
  };
  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(run, SEARCH_DELAY_MS);
  });
}

/**
 * Make a table's scroll region reachable by keyboard exactly while it scrolls: a named region in
 * the tab order when its table is wider than it (a phone, large text), no extra tab stop otherwise.
 * Regions that say so in the page (role=region) are left as they are.
 */
function scrollRegions() {
  const regions = [...document.querySelectorAll(".table-scroll:not([role])")];
  if (!regions.length) return;
  let named = 0;
  const update = (region) => {
    const scrolls = region.scrollWidth > region.clientWidth + 1;
    if (scrolls === Boolean(region.dataset.scrolls)) return;
    region.dataset.scrolls = scrolls ? "yes" : "";
    if (!scrolls) {
      for (const name of ["role", "tabindex", "aria-labelledby"]) region.removeAttribute(name);
      return;
    }
    const caption = region.querySelector("caption");
    if (caption) {
      caption.id ||= `table-scroll-caption-${++named}`;
      region.setAttribute("aria-labelledby", caption.id);
    }
    region.setAttribute("role", "region");
    region.tabIndex = 0;
  };
  const observer = new ResizeObserver((entries) => entries.forEach((entry) => update(entry.target)));
  regions.forEach((region) => {
    update(region);
    observer.observe(region);
  });
}

/** The menu is a sidebar on a wide window and a fold on a narrow one, closed on arrival there. */
function foldMenu() {
  const fold = document.querySelector("details[data-fold-narrow]");
  if (!fold) return;
  const narrow = window.matchMedia("(max-width: 59.99rem)");
  fold.open = !narrow.matches;
  narrow.addEventListener("change", () => { fold.open = !narrow.matches; });
}

focusOnLoad();
foldMenu();
scrollRegions();
confirmBeforeSubmit();
copyButtons();
document.querySelectorAll("form[data-live-search]").forEach(liveSearch);
