// tfconf report: filters, search and lazily rendered scenario details.
// Every value from the results is put on the page with textContent (via el()), never innerHTML,
// so a title holding a script tag shows as text.
(function () {
  "use strict";
  const DATA = JSON.parse(document.getElementById("tfconf-data").textContent);
  const ADAPTERS = DATA.adapters;
  const S = DATA.scenarios;
  const INDEX = new Map(S.map((s, i) => [s.id, i]));

  function el(tag, attrs, ...kids) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    }
    for (const kid of kids.flat(Infinity)) {
      if (kid === null || kid === undefined || kid === false) continue;
      node.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
    }
    return node;
  }
  const badge = (status) => el("span", { class: "badge " + status }, status);

  // ---- filters and search --------------------------------------------------------------------
  // The search text of each scenario, built once; filtering then touches no DOM but `hidden`.
  const HAY = S.map((s) => [s.id, s.title, s.area, s.claims.join(" "), s.tags.join(" "), s.erratum || "",
    ...Object.values(s.results).map((r) => r.mismatches.join(" ") + " " + (r.reason || ""))]
    .join("\n").toLowerCase());
  const ROWS = Array.from(document.querySelectorAll("#matrix tr.sc"));
  const SCENARIO_ITEMS = Array.from(document.querySelectorAll("[data-si]"));
  const CLAIM_ROWS = Array.from(document.querySelectorAll("#claims-table tr.claim"));
  const CLAIM_HAY = CLAIM_ROWS.map((row) => row.textContent.toLowerCase());
  const $ = (id) => document.getElementById(id);
  const controls = { q: $("q"), area: $("f-area"), status: $("f-status"), adapter: $("f-adapter"), claim: $("f-claim") };

  function scenarioMatches(i, f) {
    const s = S[i];
    if (f.area && s.area !== f.area) return false;
    if (f.q && !HAY[i].includes(f.q)) return false;
    if (f.adapter && !s.results[f.adapter]) return false;
    const names = f.adapter ? [f.adapter] : ADAPTERS;
    const has = (pred) => names.some((a) => s.results[a] && pred(s.results[a].status));
    if (f.status === "differ") return Object.keys(s.differs).length > 0;
    if (f.status === "problem") return has((st) => st === "fail" || st === "error" || st === "xpass");
    if (f.status) return has((st) => st === f.status);
    return true;
  }

  function applyFilters() {
    const f = { q: controls.q.value.trim().toLowerCase(), area: controls.area.value, status: controls.status.value,
      adapter: controls.adapter.value, claim: controls.claim.value };
    const ok = S.map((_, i) => scenarioMatches(i, f));
    let shown = 0;
    for (const row of ROWS) {
      const visible = ok[+row.dataset.i];
      row.hidden = !visible;
      if (row.nextElementSibling && row.nextElementSibling.classList.contains("details")) row.nextElementSibling.hidden = !visible;
      if (visible) shown++;
    }
    for (const item of SCENARIO_ITEMS) item.hidden = !ok[+item.dataset.si];
    CLAIM_ROWS.forEach((row, k) => {
      row.hidden = (f.area && row.dataset.area !== f.area) || (f.claim && row.dataset.status !== f.claim) ||
        (f.q && !CLAIM_HAY[k].includes(f.q));
    });
    $("shown").textContent = `${shown} of ${S.length} scenarios shown`;
  }
  let pending = 0;
  controls.q.addEventListener("input", () => { clearTimeout(pending); pending = setTimeout(applyFilters, 120); });
  for (const key of ["area", "status", "adapter", "claim"]) controls[key].addEventListener("change", applyFilters);
  $("f-reset").addEventListener("click", () => {
    for (const c of Object.values(controls)) c.value = "";
    applyFilters();
  });

  // ---- details, rendered on first open -------------------------------------------------------
  function copyText(text, button) {
    const done = () => {
      button.textContent = "Copied";
      button.dataset.copied = "yes";  // stays, unlike the label, so the state can be checked later
      setTimeout(() => { button.textContent = "Copy"; }, 1500);
    };
    const fallback = () => {
      const area = el("textarea", { style: "position:fixed;left:-9999px" });
      area.value = text;
      document.body.append(area);
      area.select();
      try { document.execCommand("copy"); done(); } finally { area.remove(); }
    };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, fallback);
    else fallback();
  }

  function pythonBlock(s) {
    if (!s.python) return el("p", { class: "dim" }, "The program could not be rendered as Python (the results file has no rendering and the scenario is not in the spec here).");
    const button = el("button", { class: "copy", type: "button", title: "copy the script" }, "Copy");
    button.addEventListener("click", (event) => { event.stopPropagation(); copyText(s.python, button); });
    return el("div", { class: "code-wrap" }, button, el("pre", { class: "code python" }, s.python));
  }

  function statusBlock(s) {
    return ADAPTERS.filter((a) => s.results[a]).map((a) => {
      const r = s.results[a];
      const parts = [el("div", { class: "status-line" }, el("b", {}, a), " ", badge(r.status), ` ${r.duration.toFixed(3)} s`,
        r.reason ? ` — ${r.reason}` : "")];
      if (r.mismatches.length) parts.push(el("ul", { class: "msg" }, r.mismatches.map((m) => el("li", {}, m))));
      if (r.error) parts.push(el("details", {}, el("summary", {}, "traceback"), el("pre", { class: "trace" }, r.error)));
      return parts;
    });
  }

  function checksTable(s) {
    // Align every adapter's checks by (expectation, label, occurrence): they are made from the same spec.
    const rows = new Map();
    const present = ADAPTERS.filter((a) => s.results[a] && s.results[a].checks.length);
    for (const a of present) {
      const seen = new Map();
      for (const c of s.results[a].checks) {
        const base = c[0] + "\u0000" + c[2];
        const n = (seen.get(base) || 0) + 1;
        seen.set(base, n);
        const key = base + "\u0000" + n;
        if (!rows.has(key)) rows.set(key, { at: c[0], line: c[1], label: c[2], expected: c[4], by: {} });
        rows.get(key).by[a] = c;
      }
    }
    if (!rows.size) return el("p", { class: "dim" }, "No checks were made (skipped, errored, or no expectations).");
    const head = el("tr", {}, el("th", {}, "line"), el("th", {}, "expectation"), el("th", {}, "expected"),
      present.map((a) => el("th", {}, a)));
    const body = Array.from(rows.values()).map((row) => el("tr", {},
      el("td", {}, String(row.line)), el("td", {}, el("code", {}, row.label)), el("td", {}, el("code", {}, row.expected)),
      present.map((a) => {
        const c = row.by[a];
        if (!c) return el("td", { class: "dim" }, "—");
        return el("td", { class: c[3] ? "good" : "bad" },
          el("span", { class: c[3] ? "mark-ok" : "mark-bad" }, c[3] ? "✓ " : "✗ "), el("code", {}, c[5]),
          c[7] ? el("div", { class: "err" }, c[7]) : null, c[6] ? el("div", { class: "msg" }, c[6]) : null);
      })));
    return el("table", { class: "side checks" }, el("thead", {}, head), el("tbody", {}, body));
  }

  function observationsTable(s) {
    const present = ADAPTERS.filter((a) => s.results[a] && Object.keys(s.results[a].obs).length);
    if (!present.length) return el("p", { class: "dim" }, "Nothing was observed.");
    const keys = [];
    const seen = new Set();
    for (const a of present) for (const k of Object.keys(s.results[a].obs)) if (!seen.has(k)) { seen.add(k); keys.push(k); }
    const head = el("tr", {}, el("th", {}, "observation"), present.map((a) => el("th", {}, a)));
    const body = keys.map((k) => {
      const differs = Object.prototype.hasOwnProperty.call(s.differs, k);
      return el("tr", { class: differs ? "differ" : null, title: differs ? "the adapters disagree here" : null },
        el("td", { class: "key" }, el("code", {}, k), differs ? el("div", { class: "err" }, "≠ differs") : null),
        present.map((a) => {
          const v = s.results[a].obs[k];
          const err = differs && s.differs[k][a];
          return el("td", {}, v === undefined ? el("span", { class: "dim" }, "(not observed)") : el("code", {}, v),
            err ? el("div", { class: "err" }, err) : null);
        }));
    });
    return el("table", { class: "side observations" }, el("thead", {}, head), el("tbody", {}, body));
  }

  function renderDetails(s) {
    const claims = s.claims.map((c) => el("li", {}, el("b", {}, c), " — ", DATA.claims[c] || "(not in the claims inventory)"));
    const ndiff = Object.keys(s.differs).length;
    return el("div", { class: "det" },
      el("h3", { class: "det-title" }, s.title),
      el("div", { class: "meta" }, el("code", {}, s.id), s.file ? ` · ${s.file}` : "", s.tags.length ? ` · tags: ${s.tags.join(", ")}` : ""),
      el("ul", { class: "claims-list" }, claims),
      s.erratum ? el("div", { class: "erratum-box" }, el("b", {}, "Erratum: "), s.erratum) : null,
      el("h3", {}, "Program, as TF1 Python"), pythonBlock(s),
      el("h3", {}, "Verdicts"), statusBlock(s),
      el("h3", {}, "Expected and observed"), checksTable(s),
      el("h3", {}, "Observations side by side ", ndiff ? el("span", { class: "badge differ" }, `${ndiff} differ`) : ""),
      observationsTable(s));
  }

  function toggle(row, open) {
    const i = +row.dataset.i;
    let details = row.nextElementSibling && row.nextElementSibling.classList.contains("details") ? row.nextElementSibling : null;
    const want = open === undefined ? !(details && !details.hidden && row.classList.contains("open")) : open;
    if (want && !details) {
      details = el("tr", { class: "details" }, el("td", { colspan: String(row.children.length) }, renderDetails(S[i])));
      row.after(details);
    }
    if (details) details.hidden = !want;
    row.classList.toggle("open", want);
    const button = row.querySelector("button.open");
    button.textContent = want ? "▾" : "▸";
    button.setAttribute("aria-expanded", String(want));
  }
  document.getElementById("matrix").addEventListener("click", (event) => {
    const row = event.target.closest("tr.sc");
    if (row && !window.getSelection().toString()) toggle(row);
  });

  function openScenario(id) {
    const i = INDEX.get(id);
    if (i === undefined) return;
    const row = ROWS.find((r) => +r.dataset.i === i);
    if (row.hidden) { for (const c of Object.values(controls)) c.value = ""; applyFilters(); }
    toggle(row, true);
    row.scrollIntoView({ block: "start" });
    window.scrollBy(0, -document.querySelector("header").offsetHeight - 8);
  }
  const fromHash = () => {
    if (location.hash.startsWith("#s:")) openScenario(decodeURIComponent(location.hash.slice(3)));
  };
  window.addEventListener("hashchange", fromHash);
  // Sticky table headers sit just below the sticky page header, whose height depends on wrapping.
  const setHeaderHeight = () => document.documentElement.style.setProperty(
    "--header-h", document.querySelector("header").offsetHeight + "px");
  window.addEventListener("resize", setHeaderHeight);
  setHeaderHeight();
  applyFilters();
  fromHash();
})();
