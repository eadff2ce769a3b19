// The exhibitor list and the floor plan on the phone: search as you type (also offline, where the
// saved page is the whole list; matching as the server: name or description contains the words,
// or the stand is the one asked for), and stands linked both ways: a stand in the list shows it
// on its hall's plan, a stand on the plan shows it in the list, without leaving the page.

import { countedText } from "./config.js";

const form = document.getElementById("exhibitor-search-form");
const list = document.getElementById("exhibitor-list");
const WAIT_MS = 200;
let timer = null;

function search() {
  const query = form.elements.q.value.trim().toLowerCase();
  let count = 0;
  for (const item of list.children) {
    const stand = item.dataset.stand.toLowerCase();
    const words = `${item.querySelector(".exhibitor__name").textContent} ${
      item.querySelector(".exhibitor__description")?.textContent || ""}`.toLowerCase();
    item.hidden = Boolean(query) && !(stand === query || words.includes(query));
    count += item.hidden ? 0 : 1;
  }
  document.getElementById("exhibitor-count").textContent = countedText("exhibitors", count);
  const url = new URL(location.href);
  if (query) url.searchParams.set("q", form.elements.q.value.trim());
  else url.searchParams.delete("q");
  history.replaceState(history.state, "", url);
}

function choose(stand) {
  for (const item of list.children) {
    const chosen = item.dataset.stand === stand;
    item.classList.toggle("exhibitor--chosen", chosen);
    if (chosen) item.setAttribute("aria-current", "true");
    else item.removeAttribute("aria-current");
  }
  for (const box of document.querySelectorAll(".floorplan__stand")) {
    box.classList.toggle("floorplan__stand--chosen", box.dataset.stand === stand);
  }
  for (const title of document.querySelectorAll(".floorplan title")) {
    const here = title.closest("svg").querySelector(`[data-stand="${CSS.escape(stand)}"]`);
    title.textContent = here ? `${title.dataset.plain} – ${title.dataset.chosen.replace("{stand}", stand)}`
      : title.dataset.plain;
  }
}

function follow(event) {
  const link = event.target.closest("[data-stand-link]");
  if (!link) return;
  event.preventDefault();
  const url = new URL(link.getAttribute("href"), location.href);
  history.pushState(null, "", url);
  choose(link.dataset.standLink);
  const target = document.getElementById(url.hash.slice(1));
  if (target) {
    if (target.hidden) {
      form.elements.q.value = "";
      search();
    }
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  }
}

if (form && list) {
  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, WAIT_MS);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    search();
  });
  document.addEventListener("click", follow);
  addEventListener("popstate", () => choose(new URLSearchParams(location.search).get("stand") || ""));
  form.elements.q.value = new URLSearchParams(location.search).get("q") || "";
  choose((new URLSearchParams(location.search).get("stand") || "").toUpperCase());
  search();
}
