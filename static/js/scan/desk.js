// The door desk: find a registered person as you type, then check them in by hand or reprint their
// badge. Results are a plain list of buttons (keyboard and screen readers need nothing more); the
// status line says how many were found and what each action did.

import { counted } from "../language.js";
import { call } from "./outbox.js";
import { clock, element, format, newClientId } from "./page.js";

const DEBOUNCE_MS = 250;
const MIN_LETTERS = 2;

/**
 * @param {object} config the door page's configuration (urls, text.desk, timezone, reprints)
 * @param {{door: () => string, show: Function, onCheckedIn: () => void}} page the door page's own parts
 */
export function openDesk(config, page) {
  const text = config.text.desk;
  const $ = (id) => document.getElementById(id);
  const field = $("desk-query");
  const status = $("desk-status");
  const list = $("desk-results");
  let asked = 0; // answers to older searches than the latest are dropped
  let timer = null;

  const say = (message) => { status.textContent = message; };
  const failure = (answer) => format(text.failed, { error: answer.data?.error || String(answer.status) });

  function meta(person) {
    const line = element("p", "desk-item__meta");
    if (person.organisation) line.append(element("span", "", person.organisation));
    line.append(person.checked_in_at
      ? element("span", "desk-item__in", `✓ ${format(text.inAt, { time: clock(person.checked_in_at, config.timezone) })}`)
      : element("span", "", text.notIn));
    line.append(element("span", "", format(text.version, { version: person.badge_version })));
    return line;
  }

  // A button stays focusable while its request runs (a disabled one would drop the keyboard focus);
  // aria-disabled tells that it is busy, and a second press meanwhile does nothing.
  function button(label, person, className, action) {
    const node = element("button", className, label);
    node.type = "button";
    node.append(element("span", "visually-hidden", ` ${person.name}`));
    node.addEventListener("click", async () => {
      if (node.getAttribute("aria-disabled") === "true") return;
      node.setAttribute("aria-disabled", "true");
      try {
        await action(person);
      } finally {
        node.removeAttribute("aria-disabled");
      }
    });
    return node;
  }

  function item(person) {
    const node = element("li", "desk-item");
    node.dataset.attendeeId = String(person.attendee_id);
    const actions = element("div", "actions");
    actions.append(button(text.checkIn, person, "button", checkIn),
      button(text.reprint, person, "button button--secondary", reprint));
    node.append(element("p", "desk-item__name", person.name), meta(person), actions, element("p", "desk-item__pdf"));
    return node;
  }

  function render(people) {
    list.replaceChildren(...people.map(item));
  }

  function update(person) {
    const node = list.querySelector(`[data-attendee-id="${person.attendee_id}"]`);
    node?.replaceChild(meta(person), node.querySelector(".desk-item__meta"));
  }

  async function run(query) {
    const mine = ++asked;
    if (query.replace(/\s/g, "").length < MIN_LETTERS) {
      render([]);
      say(query ? text.short : "");
      return;
    }
    say(text.searching);
    let answer;
    try {
      answer = await call("GET", `${config.urls.search}?q=${encodeURIComponent(query)}`);
    } catch {
      if (mine === asked) say(text.offline);
      return;
    }
    if (mine !== asked) return;
    if (answer.status !== 200) {
      render([]);
      say(failure(answer));
      return;
    }
    const people = answer.data.items;
    render(people);
    say(people.length ? counted(text.found, people.length) : text.none);
  }

  async function checkIn(person) {
    try {
      const answer = await call("POST", config.urls.scan,
        { attendee_id: person.attendee_id, client_id: newClientId(), door: page.door() });
      if (answer.status === 201 || answer.status === 200) {
        const already = answer.data.status === "already_checked_in";
        person.checked_in_at = answer.data.checked_in_at;
        update(person);
        const detail = already
          ? format(config.text.alreadyDetail, { time: clock(answer.data.checked_in_at, config.timezone), door: answer.data.door })
          : person.organisation;
        page.show(already ? "already" : "ok", already ? config.text.already : config.text.checkedIn, person.name, detail);
        say(`${already ? config.text.already : config.text.checkedIn}: ${person.name}`);
        page.onCheckedIn();
      } else {
        say(failure(answer));
      }
    } catch {
      say(text.offline);
    }
  }

  async function reprint(person) {
    if (!window.confirm(format(text.confirmReprint, { name: person.name }))) return;
    try {
      const answer = await call("POST", config.urls.print.replace("{id}", String(person.attendee_id)), { reprint: true });
      if (answer.status !== 200) {
        say(failure(answer));
        return;
      }
      person.badge_version = answer.data.badge_version;
      config.reprints[String(person.attendee_id)] = person.badge_version; // older badges refused offline too
      update(person);
      const link = element("a", "", format(text.openPdf, { name: person.name }));
      link.href = answer.data.pdf_url;
      link.target = "_blank";
      link.rel = "noopener";
      const holder = list.querySelector(`[data-attendee-id="${person.attendee_id}"] .desk-item__pdf`);
      holder?.replaceChildren(link);
      say(format(text.reprinted, { name: person.name, version: person.badge_version }));
      link.focus();
    } catch {
      say(text.offline);
    }
  }

  field.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => run(field.value.trim()), DEBOUNCE_MS);
  });
  $("desk-form").addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    run(field.value.trim());
  });
  if (config.found) render(config.found); // a walk-in refused: the person the e-mail belongs to
}
