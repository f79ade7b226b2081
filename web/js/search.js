// 站内搜索 — the search page's script (/search/?q=…). Plain ES2020, no
// dependencies, no inline script or style (CSP script-src 'self').
//
// The index is written by generator/internal/search (see format.go there
// for the file layout) into the same folder as the search page:
// search/index.json, search/t2s.bin, search/s/<n>.bin, search/r/<n>.bin.
// A query downloads the manifest, the Traditional→Simplified table (only
// when the query has CJK characters), one shard per looked-up token, and
// the display records of the results on the current page.
//
// The DOM it expects (generator/internal/search/testdata/page.html is a
// reference copy):
//
//   <form id="search-form" role="search" action="" method="get"
//         [data-index="<url of the index folder>"] [data-base="<base path>"]>
//     <input name="q" type="search">            with a <label>
//     <select name="kind"><option value="">全部类别</option></select>
//     <select name="agency"><option value="">全部执法主体</option></select>
//     <select name="year"><option value="">全部年份</option></select>
//     <button type="submit">搜索</button>
//   </form>
//   <p id="search-status" role="status" aria-live="polite"></p>
//   <div id="search-results"></div>
//
// data-index defaults to the page's own folder; data-base (the base_url
// path, e.g. "/sub") defaults to that folder minus its last segment. The
// selects' first option ("all") is kept; the script adds the others. It
// renders into #search-results:
//
//   <ol class="search-hits" start="N" tabindex="-1">
//     <li class="search-hit"><a href="…">title with <mark>match</mark></a>
//       <p class="search-meta"><span class="search-kind">执法决定</span> 机关 · 2025</p>
//       <p class="search-sub">subtitle</p></li> …
//   </ol>
//   <nav class="search-pages" aria-label="搜索结果分页"> links, current page
//     as <span aria-current="page"> </nav>
//
// The engine (inflate, normalisation, query planning, index reading and
// ranking) is search-engine.js; this file is the page: form, URL, results.

import { Index, normChar, hasCJK } from "./search-engine.js";

// ---- the page ----------------------------------------------------------------------

const PARAMS = ["q", "kind", "agency", "year", "page"];

function stateFrom(search) {
  const p = new URLSearchParams(search);
  const s = {};
  for (const k of PARAMS) s[k] = (p.get(k) || "").trim();
  return s;
}

function queryString(s) {
  const p = new URLSearchParams();
  for (const k of PARAMS) if (s[k] && !(k === "page" && s[k] === "1")) p.set(k, s[k]);
  const qs = p.toString();
  return qs ? "?" + qs : location.pathname;
}

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
  for (const c of kids) if (c != null) e.append(c);
  return e;
}

// highlight returns the title as nodes with the query's groups in <mark>.
function highlight(title, groupTexts) {
  const chars = Array.from(title);
  const norm = [];
  const orig = [];
  chars.forEach((ch, i) => {
    const f = normChar(ch.codePointAt(0));
    if (f >= 0) {
      norm.push(f);
      orig.push(i);
    }
  });
  const marked = new Uint8Array(chars.length);
  for (const g of groupTexts) {
    const gc = Array.from(g, (c) => c.codePointAt(0));
    if (!gc.length) continue;
    for (let i = 0; i + gc.length <= norm.length; i++) {
      let ok = true;
      for (let k = 0; k < gc.length && ok; k++) ok = norm[i + k] === gc[k];
      if (ok) for (let k = orig[i]; k <= orig[i + gc.length - 1]; k++) marked[k] = 1;
    }
  }
  const nodes = [];
  for (let i = 0; i < chars.length; ) {
    let j = i;
    while (j < chars.length && marked[j] === marked[i]) j++;
    const s = chars.slice(i, j).join("");
    nodes.push(marked[i] ? el("mark", null, s) : s);
    i = j;
  }
  return nodes;
}

function fillSelect(sel, options, counts) {
  if (!sel) return;
  const current = sel.value;
  while (sel.options.length > 1) sel.remove(1);
  for (const [value, label] of options) {
    const n = counts ? counts[value] || 0 : null;
    const o = el("option", { value }, n == null ? label : label + "（" + n + "）");
    sel.append(o);
  }
  sel.value = current;
}

function pager(state, res) {
  if (res.pages <= 1) return null;
  const nav = el("nav", { class: "search-pages", "aria-label": "搜索结果分页" });
  const link = (p, label, rel) => {
    const a = el("a", { href: queryString(Object.assign({}, state, { page: String(p) })) }, label);
    if (rel) a.setAttribute("rel", rel);
    return a;
  };
  if (res.page > 1) nav.append(link(res.page - 1, "上一页", "prev"), " ");
  let last = 0;
  for (let p = 1; p <= res.pages; p++) {
    if (p !== 1 && p !== res.pages && Math.abs(p - res.page) > 2) continue;
    if (last && p > last + 1) nav.append("… ");
    nav.append(p === res.page ? el("span", { "aria-current": "page" }, String(p)) : link(p, String(p)), " ");
    last = p;
  }
  if (res.page < res.pages) nav.append(link(res.page + 1, "下一页", "next"));
  return nav;
}

function init() {
  const form = document.getElementById("search-form");
  const status = document.getElementById("search-status");
  const out = document.getElementById("search-results");
  if (!form || !status || !out) return;
  const field = (n) => form.elements.namedItem(n);
  const indexURL = new URL(form.dataset.index || "./", location.href);
  let base = form.dataset.base;
  if (base == null) base = indexURL.pathname.replace(/[^/]*\/$/, "");
  base = base.replace(/\/$/, "");
  const index = new Index(indexURL);
  let opened = null;
  let seq = 0;

  const ensure = () => {
    if (!opened) {
      opened = index.open(hasCJK(stateFrom(location.search).q)).then((ix) => {
        const m = ix.m;
        fillSelect(field("kind"), m.kinds.map((k) => [k.id, k.label]));
        fillSelect(field("agency"), m.agencies.map((a) => [a[0], a[1]]));
        const years = [...new Set(m.ranges.map((r) => r[1]).filter((y) => y > 0))].sort((a, b) => b - a);
        fillSelect(field("year"), years.map((y) => [String(y), y + "年"]));
        return ix;
      });
      opened.catch(() => {
        opened = null;
      });
    }
    return opened;
  };

  const setForm = (s) => {
    for (const k of ["q", "kind", "agency", "year"]) {
      const f = field(k);
      if (f) f.value = s[k];
    }
  };

  async function run(s, focus) {
    const my = ++seq;
    setForm(s);
    let ix;
    try {
      ix = await ensure();
    } catch (e) {
      status.textContent = "搜索暂时不可用：索引加载失败，请稍后再试。";
      return;
    }
    if (my !== seq) return;
    setForm(s); // the selects now have their options
    if (!s.q && !s.kind && !s.agency && !s.year) {
      status.textContent = "请输入关键词：文号、当事人、事项名称或编码、执法人员等。";
      out.replaceChildren();
      return;
    }
    status.textContent = "正在搜索…";
    out.setAttribute("aria-busy", "true");
    let res;
    try {
      res = await ix.search(s);
    } catch (e) {
      if (my === seq) {
        status.textContent = "搜索暂时不可用：索引加载失败，请稍后再试。";
        out.removeAttribute("aria-busy");
      }
      return;
    }
    if (my !== seq) return;
    out.removeAttribute("aria-busy");
    const m = ix.m;
    fillSelect(field("kind"), m.kinds.map((k) => [k.id, k.label]), res.kinds);
    const years = [...new Set(m.ranges.map((r) => r[1]).filter((y) => y > 0))].sort((a, b) => b - a);
    fillSelect(field("year"), years.map((y) => [String(y), y + "年"]), res.years);
    const what = s.q ? "“" + s.q + "”" : "所选条件";
    if (!res.total) {
      status.textContent = "没有找到与" + what + "相关的结果。";
      out.replaceChildren();
      return;
    }
    const from = (res.page - 1) * m.pageSize + 1;
    status.textContent = "找到 " + res.total + " 条与" + what + "相关的结果" + (res.pages > 1 ? "，第 " + res.page + "/" + res.pages + " 页（第 " + from + "–" + (from + res.hits.length - 1) + " 条）" : "") + "。";
    const ol = el("ol", { class: "search-hits", start: String(from), tabindex: "-1", "aria-label": "搜索结果" });
    for (const h of res.hits) {
      if (!h) continue;
      if (!/^(\/|https?:)/.test(h.url)) continue; // only links into the site (or http)
      const href = h.url[0] === "/" ? base + h.url : h.url;
      const meta = el("p", { class: "search-meta" }, el("span", { class: "search-kind" }, h.kindLabel), " ", [h.agencyName, h.date || (h.year ? h.year + "年" : "")].filter(Boolean).join(" · "));
      ol.append(el("li", { class: "search-hit" }, el("a", { href }, ...highlight(h.title, res.plan.groups)), meta, h.subtitle ? el("p", { class: "search-sub" }, h.subtitle) : null));
    }
    out.replaceChildren(ol);
    const nav = pager(s, res);
    if (nav) out.append(nav);
    if (focus) ol.focus();
  }

  const go = (s, focus) => {
    const qs = queryString(s);
    if (qs !== location.search && !(qs === location.pathname && !location.search)) history.pushState(null, "", qs);
    run(s, focus);
  };
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const s = {};
    for (const k of PARAMS) s[k] = field(k) ? String(field(k).value).trim() : "";
    s.page = "";
    go(s, false);
  });
  form.addEventListener("change", (e) => {
    if (e.target && e.target.tagName === "SELECT") form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
  });
  out.addEventListener("click", (e) => {
    const a = e.target.closest && e.target.closest(".search-pages a");
    if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button) return;
    e.preventDefault();
    go(stateFrom(new URL(a.href).search), true);
  });
  window.addEventListener("popstate", () => run(stateFrom(location.search), false));
  run(stateFrom(location.search), false);
}

if (typeof document !== "undefined") {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
}
