// The scripts' one way to mark the language of a piece of text from its data (WCAG 3.1.2), as
// messe/templates/_language.html does for the templates: a talk's title and abstract are in the
// talk's language; stage and track names, which organisers enter without one, are Danish.

export const DATA_LANGUAGE = "da";

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
