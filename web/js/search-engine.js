// The search engine of 站内搜索: reads the index that
// generator/internal/search writes (format.go there describes the files)
// and answers queries exactly as that package's Index.Search does. Plain
// ES2020, no dependencies, no DOM. search.js is the page that uses it.
//
// The folding rules (normChar, isSep), the tokeniser and the query planner
// mirror generator/internal/search (normalize.go, tokenize.go, reader.go);
// the Traditional→Simplified table is not copied but read from the index
// (t2s.bin). A browser test runs both implementations on the same inputs.

// ---- inflate (raw DEFLATE, RFC 1951) --------------------------------------

const LBASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LEXT = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DBASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DEXT = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const CLORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

const FAST = 9; // bits of the direct lookup table

// huffman builds a canonical Huffman decoder: counts and symbols for the
// bit-by-bit path, and a table of the codes of up to FAST bits.
function huffman(lengths) {
  const counts = new Uint16Array(16);
  const offs = new Uint16Array(16);
  const syms = new Uint16Array(lengths.length);
  for (let i = 0; i < lengths.length; i++) counts[lengths[i]]++;
  counts[0] = 0;
  for (let i = 1; i < 16; i++) offs[i] = offs[i - 1] + counts[i - 1];
  for (let i = 0; i < lengths.length; i++) if (lengths[i]) syms[offs[lengths[i]]++] = i;
  const fast = new Int32Array(1 << FAST).fill(-1);
  const next = new Uint16Array(16);
  for (let len = 1, code = 0; len < 16; len++) {
    code = (code + counts[len - 1]) << 1;
    next[len] = code;
  }
  for (let i = 0; i < lengths.length; i++) {
    const len = lengths[i];
    if (!len || len > FAST) continue;
    const c = next[len]++;
    let r = 0;
    for (let k = 0; k < len; k++) r |= ((c >> k) & 1) << (len - 1 - k);
    for (let j = r; j < 1 << FAST; j += 1 << len) fast[j] = (i << 4) | len;
  }
  return { counts, syms, fast };
}

let fixedLit = null;
let fixedDist = null;

export function inflate(src) {
  let pos = 0;
  let buf = 0;
  let cnt = 0;
  let out = new Uint8Array(Math.max(1024, src.length * 4));
  let op = 0;
  const bits = (n) => {
    while (cnt < n) {
      if (pos >= src.length) throw new Error("inflate: truncated");
      buf |= src[pos++] << cnt;
      cnt += 8;
    }
    const v = buf & ((1 << n) - 1);
    buf >>>= n;
    cnt -= n;
    return v;
  };
  const room = (n) => {
    if (op + n <= out.length) return;
    let m = out.length * 2;
    while (m < op + n) m *= 2;
    const o = new Uint8Array(m);
    o.set(out.subarray(0, op));
    out = o;
  };
  const decode = (h) => {
    while (cnt < FAST && pos < src.length) {
      buf |= src[pos++] << cnt;
      cnt += 8;
    }
    const e = h.fast[buf & ((1 << FAST) - 1)];
    if (e >= 0 && (e & 15) <= cnt) {
      buf >>>= e & 15;
      cnt -= e & 15;
      return e >> 4;
    }
    let code = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len < 16; len++) {
      code |= bits(1);
      const c = h.counts[len];
      if (code - c < first) return h.syms[index + (code - first)];
      index += c;
      first = (first + c) << 1;
      code <<= 1;
    }
    throw new Error("inflate: bad code");
  };
  let final = 0;
  do {
    final = bits(1);
    const type = bits(2);
    if (type === 0) {
      buf = 0;
      cnt = 0;
      const len = src[pos] | (src[pos + 1] << 8);
      pos += 4;
      room(len);
      out.set(src.subarray(pos, pos + len), op);
      op += len;
      pos += len;
      continue;
    }
    let lit;
    let dist;
    if (type === 1) {
      if (!fixedLit) {
        const l = new Uint8Array(288);
        l.fill(8, 0, 144);
        l.fill(9, 144, 256);
        l.fill(7, 256, 280);
        l.fill(8, 280, 288);
        fixedLit = huffman(l);
        fixedDist = huffman(new Uint8Array(30).fill(5));
      }
      lit = fixedLit;
      dist = fixedDist;
    } else if (type === 2) {
      const hlit = bits(5) + 257;
      const hdist = bits(5) + 1;
      const hclen = bits(4) + 4;
      const cl = new Uint8Array(19);
      for (let i = 0; i < hclen; i++) cl[CLORDER[i]] = bits(3);
      const clh = huffman(cl);
      const lens = new Uint8Array(hlit + hdist);
      for (let i = 0; i < hlit + hdist; ) {
        const sym = decode(clh);
        if (sym < 16) {
          lens[i++] = sym;
          continue;
        }
        let rep;
        let val = 0;
        if (sym === 16) {
          if (i === 0) throw new Error("inflate: bad lengths");
          val = lens[i - 1];
          rep = 3 + bits(2);
        } else if (sym === 17) {
          rep = 3 + bits(3);
        } else {
          rep = 11 + bits(7);
        }
        if (i + rep > hlit + hdist) throw new Error("inflate: bad lengths");
        while (rep--) lens[i++] = val;
      }
      lit = huffman(lens.subarray(0, hlit));
      dist = huffman(lens.subarray(hlit));
    } else {
      throw new Error("inflate: bad block");
    }
    for (;;) {
      let sym = decode(lit);
      if (sym < 256) {
        room(1);
        out[op++] = sym;
      } else if (sym === 256) {
        break;
      } else {
        sym -= 257;
        const len = LBASE[sym] + bits(LEXT[sym]);
        const ds = decode(dist);
        const d = DBASE[ds] + bits(DEXT[ds]);
        if (d > op) throw new Error("inflate: bad distance");
        room(len);
        for (let k = 0; k < len; k++, op++) out[op] = out[op - d];
      }
    }
  } while (!final);
  return out.subarray(0, op);
}

// ---- byte reader ------------------------------------------------------------

class Reader {
  constructor(b, p = 0) {
    this.b = b;
    this.p = p;
  }
  uvarint() {
    let v = 0;
    let mul = 1;
    for (;;) {
      if (this.p >= this.b.length) throw new Error("index: truncated");
      const c = this.b[this.p++];
      v += (c & 0x7f) * mul;
      if (c < 0x80) return v;
      mul *= 128;
    }
  }
  bytes(n) {
    if (this.p + n > this.b.length) throw new Error("index: truncated");
    const s = this.b.subarray(this.p, this.p + n);
    this.p += n;
    return s;
  }
  str() {
    return utf8.decode(this.bytes(this.uvarint()));
  }
}

const utf8 = new TextDecoder();
const utf8enc = new TextEncoder();

// ---- normalisation (mirrors normalize.go) -------------------------------------

const OPEN = new Set([0x3010, 0x3014, 0x3016, 0x3018, 0x301a, 0x2985, 0xff5f, 0xfe59, 0xfe5b, 0xfe5d, 0xfe35, 0xfe37, 0xfe39, 0xfe3b]);
const CLOSE = new Set([0x3011, 0x3015, 0x3017, 0x3019, 0x301b, 0x2986, 0xff60, 0xfe5a, 0xfe5c, 0xfe5e, 0xfe36, 0xfe38, 0xfe3a, 0xfe3c]);
const HYPHEN = new Set([0x2010, 0x2011, 0x2012, 0x2013, 0x2212, 0xfe58, 0xfe63]);

let T2S = new Map();

// setT2S installs the table read from t2s.bin.
export function setT2S(map) {
  T2S = map;
}

export function normChar(r) {
  if (r >= 0xff01 && r <= 0xff5e) r -= 0xfee0;
  if (r < 0x80) {
    if (r >= 65 && r <= 90) return r + 32;
    if (r < 0x20 || r === 0x7f) return 32;
    if (r === 0x5b || r === 0x7b) return 0x28;
    if (r === 0x5d || r === 0x7d) return 0x29;
    return r;
  }
  if (r === 0xad || r === 0xfeff) return -1;
  if (r === 0xa0 || r === 0x3000 || r === 0x2028 || r === 0x2029) return 32;
  if (OPEN.has(r)) return 0x28;
  if (CLOSE.has(r)) return 0x29;
  if (HYPHEN.has(r)) return 0x2d;
  if ((r >= 0x200b && r <= 0x200f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2060 && r <= 0x2064)) return -1;
  if (r >= 0x2000 && r <= 0x200a) return 32;
  const s = T2S.get(r);
  return s === undefined ? r : s;
}

// normalize returns the folded code points of s.
export function normalizeCPs(s) {
  const out = [];
  for (const ch of s) {
    const f = normChar(ch.codePointAt(0));
    if (f >= 0) out.push(f);
  }
  return out;
}

export function normalize(s) {
  return normalizeCPs(s)
    .map((c) => String.fromCodePoint(c))
    .join("");
}

const isWord = (c) => (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
const isJoiner = (c) => c === 0x28 || c === 0x29 || c === 0x2d || c === 0x5f || c === 0x2e || c === 0x2f || c === 0x23;

export function isSep(r) {
  if (r < 0x80) return false;
  if (r <= 0xbf || r === 0xd7 || r === 0xf7) return true;
  if ((r >= 0x2000 && r <= 0x206f) || (r >= 0x20a0 && r <= 0x20cf) || (r >= 0x2100 && r <= 0x214f) || (r >= 0x2190 && r <= 0x2bff) || (r >= 0x2e00 && r <= 0x2e7f)) return true;
  if (r >= 0x3000 && r <= 0x303f) return !(r >= 0x3005 && r <= 0x3007) && !(r >= 0x3021 && r <= 0x3029);
  if (r === 0x30fb || (r >= 0xd800 && r <= 0xdfff) || (r >= 0xe000 && r <= 0xf8ff)) return true;
  if ((r >= 0xfe10 && r <= 0xfe1f) || (r >= 0xfe30 && r <= 0xfe6f) || (r >= 0xff00 && r <= 0xff65) || (r >= 0xffe0 && r <= 0xffff)) return true;
  return r >= 0x1f000 && r <= 0x1faff;
}

// ---- tokenising (mirrors tokenize.go) --------------------------------------------

const MAX_TRIGRAM_CHARS = 40;
const MAX_GROUP_TOKENS = 6;
const MAX_QUERY_TOKENS = 10;
const MAX_QUERY_GROUPS = 4;

function groups(cps, fn) {
  let us = [];
  let lead = false;
  let trail = false;
  const flush = () => {
    if (us.length) {
      if (us[0].ascii && !lead) us[0].openL = true;
      const l = us[us.length - 1];
      if (l.ascii && !trail) l.openR = true;
      fn(us);
    }
    us = [];
    lead = trail = false;
  };
  for (let i = 0; i < cps.length; ) {
    const c = cps[i];
    if (c < 0x80) {
      if (isWord(c)) {
        let j = i + 1;
        while (j < cps.length && isWord(cps[j])) j++;
        us.push({ s: i, e: j, ascii: true, openL: false, openR: false });
        trail = false;
        i = j;
      } else if (isJoiner(c)) {
        if (us.length === 0) lead = true;
        else trail = true;
        i++;
      } else {
        flush();
        i++;
      }
      continue;
    }
    if (isSep(c)) flush();
    else {
      us.push({ s: i, e: i + 1, ascii: false, openL: false, openR: false });
      trail = false;
    }
    i++;
  }
  flush();
}

const text = (cps, s, e) => String.fromCodePoint(...cps.slice(s, e));

function bigram(cps, a, b) {
  if (a.ascii && b.ascii) return text(cps, a.s, a.e) + " " + text(cps, b.s, b.e);
  if (b.ascii) return text(cps, a.s, a.e) + text(cps, b.s, b.s + 1);
  if (a.ascii) return text(cps, a.e - 1, a.e) + text(cps, b.s, b.e);
  return text(cps, a.s, a.e) + text(cps, b.s, b.e);
}

function trigrams(w, out) {
  w = w.slice(0, MAX_TRIGRAM_CHARS);
  for (let k = 0; k + 3 <= w.length; k++) out.push("~" + w.slice(k, k + 3));
}

const dedup = (ts) => [...new Set(ts)];

function isWordToken(t) {
  if (!t || t[0] === "~") return false;
  for (let i = 0; i < t.length; i++) if (t.charCodeAt(i) >= 0x80) return false;
  return true;
}

function choose(ts, max) {
  if (ts.length <= max) return ts;
  const keep = new Array(ts.length).fill(false);
  const rest = [];
  let n = 0;
  ts.forEach((t, i) => {
    if (isWordToken(t) && n < max) {
      keep[i] = true;
      n++;
    } else rest.push(i);
  });
  const m = max - n;
  if (m === 1) keep[rest[0]] = true;
  else if (m > 1) for (let k = 0; k < m; k++) keep[rest[Math.floor((k * (rest.length - 1)) / (m - 1))]] = true;
  return ts.filter((_, i) => keep[i]);
}

// planQuery: the tokens a query looks up (all must match), as PlanQuery in Go.
export function planQuery(q) {
  const cps = normalizeCPs(q);
  const plan = { tokens: [], units: 0, exact: false, groups: [] };
  const seen = new Set();
  let ngroups = 0;
  let anyPartial = false;
  const fallback = [];
  const partial = (u) => u.ascii && (u.openL || u.openR);
  groups(cps, (us) => {
    if (ngroups >= MAX_QUERY_GROUPS) return;
    ngroups++;
    plan.groups.push(text(cps, us[0].s, us[us.length - 1].e));
    plan.units = us.length;
    let toks = [];
    if (us.length === 1) {
      const u = us[0];
      const w = text(cps, u.s, u.e);
      if (!partial(u)) toks.push(w);
      else if (w.length >= 3) trigrams(w, toks);
      else fallback.push(w);
      anyPartial = anyPartial || partial(u);
    } else {
      const paired = new Array(us.length).fill(false);
      for (let i = 1; i < us.length; i++) {
        const a = us[i - 1];
        const b = us[i];
        if (a.ascii && b.ascii) {
          if (partial(a) || partial(b)) continue;
          paired[i - 1] = paired[i] = true;
        }
        toks.push(bigram(cps, a, b));
      }
      const short = [];
      us.forEach((u, i) => {
        if (!u.ascii) return;
        const w = text(cps, u.s, u.e);
        if (partial(u)) {
          anyPartial = true;
          if (w.length >= 3) trigrams(w, toks);
          else short.push(w);
        } else if (!paired[i]) toks.push(w);
      });
      fallback.push(...short);
    }
    for (const t of choose(dedup(toks), MAX_GROUP_TOKENS)) {
      if (!seen.has(t) && plan.tokens.length < MAX_QUERY_TOKENS) {
        seen.add(t);
        plan.tokens.push(t);
      }
    }
  });
  if (plan.tokens.length === 0) plan.tokens = dedup(fallback);
  if (ngroups !== 1) plan.units = 0;
  plan.exact = ngroups === 1 && !anyPartial && plan.tokens.length > 0;
  return plan;
}

// hasCJK: the query may have characters the T→S table maps (its keys are
// all in these ranges; a Go test checks that).
export const hasCJK = (s) => /[\u2e80-\ufaff]|[\ud840-\ud8bf]/.test(s);

function fnv1a(bytes) {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 16777619) >>> 0;
  return h;
}

// ---- the index ------------------------------------------------------------------

function u8eq(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// readIDs decodes a documents block (list or bitmap).
function readIDs(r) {
  const hdr = r.uvarint();
  const enc = hdr % 4;
  const p = new Reader(r.bytes(Math.floor(hdr / 4)));
  if (enc === 1) {
    const n = p.uvarint();
    const ids = new Uint32Array(n);
    let id = 0;
    for (let i = 0; i < n; i++) ids[i] = id += p.uvarint();
    return ids;
  }
  if (enc === 3) {
    const first = p.uvarint();
    const bytes = p.b.subarray(p.p);
    let n = 0;
    for (let k = 0; k < bytes.length; k++) for (let c = bytes[k]; c; c &= c - 1) n++;
    const ids = new Uint32Array(n);
    let j = 0;
    for (let k = 0; k < bytes.length; k++) {
      for (let c = bytes[k], i = 0; c; c >>>= 1, i++) if (c & 1) ids[j++] = (first + k) * 8 + i;
    }
    return ids;
  }
  return new Uint32Array(0);
}

// readTitle decodes a title block: positions into all, with metas or not.
function readTitle(r, all) {
  const hdr = r.uvarint();
  const enc = hdr % 4;
  const p = new Reader(r.bytes(Math.floor(hdr / 4)));
  if (enc === 2) {
    const n = p.uvarint();
    const ids = new Uint32Array(n);
    const meta = new Uint8Array(n);
    let pos = 0;
    for (let i = 0; i < n; i++) {
      pos += p.uvarint();
      if (pos >= all.length) throw new Error("index: bad title position");
      ids[i] = all[pos];
      meta[i] = p.bytes(1)[0];
    }
    return { ids, meta };
  }
  if (enc === 3) {
    let n = 0;
    for (let k = 0; k < p.b.length; k++) for (let c = p.b[k]; c; c &= c - 1) n++;
    const ids = new Uint32Array(n);
    let j = 0;
    for (let k = 0; k < p.b.length; k++) {
      for (let c = p.b[k], i = 0; c; c >>>= 1, i++) if (c & 1 && k * 8 + i < all.length) ids[j++] = all[k * 8 + i];
    }
    return { ids: ids.subarray(0, j), meta: null };
  }
  return { ids: new Uint32Array(0), meta: null };
}

function intersect(a, b) {
  const out = new Uint32Array(Math.min(a.length, b.length));
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    if (a[i] < b[j]) i++;
    else if (a[i] > b[j]) j++;
    else {
      out[k++] = a[i];
      i++;
      j++;
    }
  }
  return out.subarray(0, k);
}

export class Index {
  constructor(base, fetcher) {
    this.base = base; // URL of the index folder, ending in "/"
    this.get = fetcher || ((url, opt) => fetch(url, opt));
    this.files = new Map(); // rel → Promise<Uint8Array body>
  }

  // open reads the manifest; with t2s (the query has CJK characters) it
  // fetches the Traditional→Simplified table at the same time.
  async open(t2s) {
    const [m] = await Promise.all([this.fetchJSON("index.json"), t2s ? this.loadT2S() : null]);
    if (m.version !== 2) throw new Error("index version " + m.version);
    this.m = m;
    const raw = atob(m.bounds);
    const r = new Reader(Uint8Array.from(raw, (c) => c.charCodeAt(0)));
    this.bounds = [0];
    while (r.p < r.b.length) this.bounds.push(this.bounds[this.bounds.length - 1] + r.uvarint());
    return this;
  }

  async fetchJSON(rel) {
    const res = await this.get(new URL(rel, this.base), { cache: "no-cache" });
    if (!res.ok) throw new Error(rel + ": HTTP " + res.status);
    return res.json();
  }

  // body fetches and inflates a .bin file (versioned by the build in its
  // URL) and checks its magic.
  body(rel, magic) {
    let p = this.files.get(rel);
    if (!p) {
      p = this.load(rel, magic, "default").catch(() => this.load(rel, magic, "reload"));
      p.catch(() => this.files.delete(rel));
      this.files.set(rel, p);
    }
    return p;
  }

  async load(rel, magic, cache) {
    const res = await this.get(new URL(rel + "?v=" + this.m.build, this.base), { cache });
    if (!res.ok) throw new Error(rel + ": HTTP " + res.status);
    const b = inflate(new Uint8Array(await res.arrayBuffer()));
    if (b[0] !== magic.charCodeAt(0) || b[1] !== magic.charCodeAt(1) || b[2] !== 2) {
      throw new Error(rel + ": not a search index file of version 2");
    }
    return b;
  }

  // loadT2S fetches the table once (revalidated: it is not versioned by
  // the build, which may still be unknown).
  loadT2S() {
    if (!this.t2s) {
      this.t2s = (async () => {
        const res = await this.get(new URL("t2s.bin", this.base), { cache: "no-cache" });
        if (!res.ok) throw new Error("t2s.bin: HTTP " + res.status);
        const b = inflate(new Uint8Array(await res.arrayBuffer()));
        if (b[0] !== 0x5a || b[1] !== 0x54 || b[2] !== 1) throw new Error("t2s.bin: bad magic");
        const r = new Reader(b, 3);
        const n = r.uvarint();
        const map = new Map();
        let k = 0;
        let v = 0;
        for (let i = 0; i < n; i++) {
          k += r.uvarint();
          const z = r.uvarint();
          v += z % 2 ? -(z + 1) / 2 : z / 2;
          map.set(k, v);
        }
        setT2S(map);
      })();
      this.t2s.catch(() => {
        this.t2s = null;
      });
    }
    return this.t2s;
  }

  // lookup resolves to a token's postings or null.
  async lookup(tok) {
    if (!this.m.shards) return null;
    const tb = utf8enc.encode(tok);
    const bucket = fnv1a(tb) >>> 16;
    let lo = 0;
    let hi = this.bounds.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.bounds[mid] <= bucket) lo = mid;
      else hi = mid - 1;
    }
    const b = await this.body("s/" + lo + ".bin", "ZS");
    const r = new Reader(b, 3);
    const n = r.uvarint();
    for (let i = 0; i < n; i++) {
      const t = r.bytes(r.uvarint());
      if (!u8eq(t, tb)) {
        r.bytes(Math.floor(r.uvarint() / 4));
        r.bytes(Math.floor(r.uvarint() / 4));
        continue;
      }
      const all = readIDs(r);
      const title = readTitle(r, all);
      return { title: title.ids, meta: title.meta, all };
    }
    return null;
  }

  async records(ids) {
    const chunk = this.m.chunk;
    const need = [...new Set(ids.map((id) => Math.floor(id / chunk)))];
    const bodies = await Promise.all(need.map((c) => this.body("r/" + c + ".bin", "ZR")));
    const recs = new Map();
    const want = new Set(ids);
    for (const b of bodies) {
      const r = new Reader(b, 3);
      const first = r.uvarint();
      const n = r.uvarint();
      for (let i = 0; i < n; i++) {
        const kind = r.uvarint();
        const ag = r.uvarint();
        const year = r.uvarint();
        const url = r.str();
        const title = r.str();
        const subtitle = r.str();
        const date = r.str();
        if (!want.has(first + i)) continue;
        const k = this.m.kinds[kind] || { id: "", label: "" };
        const a = ag > 0 ? this.m.agencies[ag - 1] : ["", ""];
        recs.set(first + i, { id: first + i, kind: k.id, kindLabel: k.label, agency: a[0], agencyName: a[1], year, url, title, subtitle, date });
      }
    }
    return ids.map((id) => recs.get(id));
  }

  // search mirrors Index.Search in reader.go.
  async search(q) {
    const m = this.m;
    if (hasCJK(q.q || "")) await this.loadT2S();
    const plan = planQuery(q.q || "");
    const res = { plan, total: 0, pages: 0, page: 1, kinds: {}, years: {}, hits: [] };
    const kind = q.kind || "";
    const agency = q.agency || "";
    const year = +q.year || 0;
    if (!plan.tokens.length && !kind && !agency && !year) return res;
    const found = await Promise.all(plan.tokens.concat(agency ? ["@a:" + agency] : []).map((t) => this.lookup(t)));
    if (found.some((p) => !p)) return res;
    const lists = found.slice(0, plan.tokens.length);
    let cands;
    if (lists.length) {
      const order = lists.slice().sort((a, b) => a.all.length - b.all.length);
      cands = order[0].all;
      for (const p of order.slice(1)) cands = intersect(cands, p.all);
    } else {
      cands = new Uint32Array(m.docs);
      for (let i = 0; i < m.docs; i++) cands[i] = i;
    }
    if (agency) cands = intersect(cands, found[found.length - 1].all);
    // facets and the kind/year filters, by document ranges
    const rg = m.ranges;
    const okRange = rg.map((r) => [!kind || m.kinds[r[0]].id === kind, !year || r[1] === year]);
    const perRange = new Int32Array(rg.length);
    const kept = [];
    let ri = 0;
    for (let c = 0; c < cands.length; c++) {
      const id = cands[c];
      while (ri + 1 < rg.length && rg[ri + 1][2] <= id) ri++;
      perRange[ri]++;
      if (okRange[ri][0] && okRange[ri][1]) kept.push(id);
    }
    rg.forEach((r, i) => {
      if (!perRange[i]) return;
      const kid = m.kinds[r[0]].id;
      if (okRange[i][1]) res.kinds[kid] = (res.kinds[kid] || 0) + perRange[i];
      if (okRange[i][0] && r[1]) res.years[r[1]] = (res.years[r[1]] || 0) + perRange[i];
    });
    res.total = kept.length;
    // rank: tier, then key, then document order
    const ptr = new Int32Array(lists.length);
    const keys = new Float64Array(kept.length);
    for (let ci = 0; ci < kept.length; ci++) {
      const id = kept[ci];
      let hits = 0;
      let meta = -1;
      for (let i = 0; i < lists.length; i++) {
        const t = lists[i].title;
        let k = ptr[i];
        while (k < t.length && t[k] < id) k++;
        ptr[i] = k;
        if (k < t.length && t[k] === id) {
          hits++;
          if (meta < 0 && lists[i].meta) meta = lists[i].meta[k];
        }
      }
      let tier = 3;
      let key = 0;
      if (!lists.length) tier = 1;
      else if (hits === lists.length) {
        tier = 1;
        key = meta < 0 ? 256 : meta;
        if (plan.exact && meta === plan.units) tier = 0;
      } else if (hits > 0) {
        tier = 2;
        key = -hits;
      }
      keys[ci] = tier * 1e12 + (key + 300) * 1e8 + id;
    }
    keys.sort();
    const size = m.pageSize;
    res.pages = Math.ceil(keys.length / size);
    res.page = Math.min(Math.max(+q.page || 1, 1), Math.max(res.pages, 1));
    const from = (res.page - 1) * size;
    const page = Array.from(keys.subarray(from, from + size));
    const recs = await this.records(page.map((k) => k % 1e8));
    res.hits = recs.map((r, i) => Object.assign({ tier: Math.floor(page[i] / 1e12) }, r));
    return res;
  }
}
