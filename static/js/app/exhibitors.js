// The exhibitor list on the phone: search as you type (also offline, where the saved page is the
// whole list; matching as the server: name or description contains the words, or the stand is the
// one asked for). Each exhibitor links to its own page and its stand to the map (hall.js).

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

if (form && list) {
  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, WAIT_MS);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    search();
  });
  form.elements.q.value = new URLSearchParams(location.search).get("q") || "";
  search();
}
