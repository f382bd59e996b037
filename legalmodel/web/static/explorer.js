// The explorer without reloading: a change of a fact asks /answer (the chosen date) and then
// /dates (every date). Without JavaScript the form is a plain GET to / and works the same.
"use strict";
(function () {
  const form = document.getElementById("situation");
  if (!form) return;
  const copy = document.getElementById("copy");
  let asked = 0;

  function query() {
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(form)) params.append(key, value);
    return params.toString();
  }

  async function fill(id, path, ticket) {
    const response = await fetch(path, {headers: {"Accept": "text/html"}});
    const html = await response.text();
    if (ticket === asked) document.getElementById(id).innerHTML = html;
  }

  async function ask() {
    const ticket = ++asked;
    const q = query();
    history.replaceState(null, "", "/?" + q);
    await fill("answer", "/answer?" + q, ticket);
    await fill("dates", "/dates?" + q, ticket);
  }

  form.addEventListener("change", ask);
  form.addEventListener("submit", function (event) { event.preventDefault(); ask(); });
  copy.hidden = false;
  copy.addEventListener("click", async function () {
    const block = document.getElementById("example");
    const status = document.getElementById("copied");
    if (!block) return;
    try {
      await navigator.clipboard.writeText(block.textContent);
      status.textContent = copy.dataset.done || "✓";
    } catch (e) {
      const range = document.createRange();
      range.selectNodeContents(block);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      status.textContent = "Ctrl+C";
    }
  });
})();
