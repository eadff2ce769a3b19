// The scripts' one way to mark the language of a piece of text from its data (WCAG 3.1.2), as
// messe/templates/_language.html does for the templates: a talk's title and abstract are in the
// talk's language; stage and track names, which organisers enter without one, are Danish.
// And their one way to fill in a text and to say a count: a counted text comes from the page as
// both of the server's ngettext forms in the reader's language (messe.i18n.plural_forms), and
// ``counted`` picks one with Intl.PluralRules, so "1 udstiller", "2 udstillere", "1 exhibitor".

export const DATA_LANGUAGE = "da";

/** ``template`` with its {placeholders} filled in from ``values`` (an unknown one stays as it is). */
export function fillIn(template, values = {}) {
  return template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
}

const pluralRules = new Map();

/** The plural category ("one", "other") of ``count`` in the page's language. */
function pluralOf(count) {
  const language = document.documentElement.lang || DATA_LANGUAGE;
  if (!pluralRules.has(language)) pluralRules.set(language, new Intl.PluralRules(language));
  return pluralRules.get(language).select(count);
}

/**
 * The form of a counted text that ``count`` takes, with {count} and ``values`` filled in:
 * counted({one: "{count} udstiller", other: "{count} udstillere"}, 2) -> "2 udstillere".
 * For whole counts Danish and English say "one" for 1 only, as the server's ngettext does.
 * @param {{one: string, other: string}} forms the text's forms in the page's language
 */
export function counted(forms, count, values = {}) {
  return fillIn(forms[pluralOf(count)] ?? forms.other, { ...values, count });
}

/** Mark ``node`` as written in ``language``; no mark when that is the page's own language. */
export function markLanguage(node, language) {
  if (language && language !== document.documentElement.lang) node.lang = language;
  else node.removeAttribute("lang");
  return node;
}

/** A span with ``text`` in ``language`` (for a title inside a sentence). */
export function inLanguage(text, language) {
  const span = document.createElement("span");
  span.textContent = text;
  return markLanguage(span, language);
}

/**
 * ``template`` with its {placeholders} filled in from ``values``, as nodes: a value whose key is
 * in ``languages`` is marked with that language; a value may itself be a node.
 */
export function fillInMarked(template, values, languages = {}) {
  const fragment = document.createDocumentFragment();
  let at = 0;
  for (const match of template.matchAll(/\{(\w+)\}/g)) {
    fragment.append(template.slice(at, match.index));
    const [whole, key] = match;
    const value = key in values ? values[key] : whole;
    if (value instanceof Node) fragment.append(value);
    else fragment.append(key in languages ? inLanguage(String(value), languages[key]) : String(value));
    at = match.index + whole.length;
  }
  fragment.append(template.slice(at));
  return fragment;
}

/** Titles in their own languages, joined by commas (for "overlaps with A, B"). */
export function titleList(talks) {
  const fragment = document.createDocumentFragment();
  talks.forEach((talk, i) => fragment.append(...(i ? [", "] : []), inLanguage(talk.title, talk.language)));
  return fragment;
}
