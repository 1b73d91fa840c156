// meshcast debug page: a service map from /debug/graph and, per modelled series, a card with two
// hand-drawn SVG charts (history: observed vs served; next lead: the forecast fan) and the rule
// that decided the served value. No external libraries: the page is served from the jar under a
// 'self'-only content security policy, and SVG keeps every drawn element testable in the DOM.
'use strict';
(function () {
  const NS = 'http://www.w3.org/2000/svg';
  const PAD = { l: 46, r: 10, t: 16, b: 22 };
  const state = { overview: null, graph: null, cards: {}, groups: {}, focus: null };

  // ---- small helpers ------------------------------------------------------------------------

  function el(name, attrs, parent) {
    const e = document.createElementNS(NS, name);
    for (const k in attrs) { e.setAttribute(k, attrs[k]); }
    if (parent) { parent.appendChild(e); }
    return e;
  }

  function html(tag, cls, parent, text) {
    const e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    if (parent) { parent.appendChild(e); }
    return e;
  }

  function fmt(x) {
    if (x === null || x === undefined || Number.isNaN(x)) { return '–'; }
    const a = Math.abs(x);
    if (a >= 1000) { return x.toFixed(0); }
    if (a >= 100) { return x.toFixed(0); }
    if (a >= 10) { return x.toFixed(1); }
    if (a >= 1) { return x.toFixed(2); }
    if (a === 0) { return '0'; }
    return x.toPrecision(2);
  }

  function getJson(url) {
    return fetch(url, { credentials: 'same-origin' }).then(function (r) {
      if (!r.ok) {
        const e = new Error(url + ': HTTP ' + r.status);
        e.status = r.status;
        throw e;
      }
      return r.json();
    });
  }

  function title(signal) {
    return signal.replace(/^kuma_/, '').replace(/_(ms|seconds)$/, '').replace(/_/g, ' ');
  }

  // "frontend_demo_svc_80" -> "frontend": the Kuma service tag of a Service, for labels.
  function shortService(service, namespace) {
    const m = /^(.+)_([^_]+)_svc_\d+$/.exec(service);
    return m && (!namespace || m[2] === namespace) ? m[1] : service;
  }

  // Nice tick values (1, 2, 2.5, 5 x 10^k) covering [lo, hi] with about n intervals.
  function niceStep(span, n) {
    const raw = span / Math.max(1, n);
    const p = Math.pow(10, Math.floor(Math.log10(raw)));
    const f = raw / p;
    return p * (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10);
  }

  function yRange(values, n) {
    let lo = Infinity, hi = -Infinity;
    values.forEach(function (v) {
      if (v !== null && v !== undefined && Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    });
    if (!Number.isFinite(lo)) { lo = 0; hi = 1; }
    // Start at zero unless that squashes the data into the top of the chart.
    if (lo >= 0 && lo < 0.5 * hi) { lo = 0; }
    if (hi - lo < 1e-9) { hi = lo + (Math.abs(lo) > 0 ? Math.abs(lo) * 0.2 : 1); lo = Math.max(0, lo - (hi - lo)); }
    const step = niceStep(hi - lo, n);
    lo = Math.floor(lo / step) * step;
    hi = Math.ceil(hi / step) * step;
    const ticks = [];
    for (let v = lo; v <= hi + step / 2; v += step) { ticks.push(+v.toPrecision(12)); }
    return { lo: lo, hi: hi, ticks: ticks, step: step };
  }

  // As many decimals as the tick step needs (0.25 -> 2), thousands as k.
  function tickLabel(v, step) {
    if (step >= 1000) { return +(v / 1000).toFixed(Math.max(0, -Math.floor(Math.log10(step / 1000) + 1e-9))) + 'k'; }
    const dec = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9) + (step / Math.pow(10, Math.floor(Math.log10(step) + 1e-9)) === 2.5 ? 1 : 0)));
    return v.toFixed(dec);
  }

  const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800,
    21600, 43200, 86400];

  function timeStep(spanMs, maxTicks) {
    for (const s of TIME_STEPS) { if (spanMs / (s * 1000) <= maxTicks) { return s * 1000; } }
    return 86400000 * Math.ceil(spanMs / 86400000 / maxTicks);
  }

  function clock(t, stepMs) {
    const d = new Date(t);
    const p = function (x) { return String(x).padStart(2, '0'); };
    return p(d.getHours()) + ':' + p(d.getMinutes()) + (stepMs < 60000 ? ':' + p(d.getSeconds()) : '');
  }

  function relative(ms) {
    if (Math.abs(ms) < 1) { return 'now'; }
    const s = Math.abs(ms) / 1000, sign = ms < 0 ? '−' : '+';
    const n = function (x) { return String(+x.toFixed(2)); };
    if (s < 60 || s % 60 !== 0) { return sign + n(s) + ' s'; }
    if (s < 3600 || s % 3600 !== 0) { return sign + n(s / 60) + ' min'; }
    return sign + n(s / 3600) + ' h';
  }

  // ---- charts -------------------------------------------------------------------------------

  // Axes, grid and tick labels; returns the scales. xTicks: [{t, label}].
  function frame(svg, w, h, x0, x1, yr, unit, xTicks) {
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    svg.setAttribute('width', w);
    svg.setAttribute('height', h);
    svg.setAttribute('viewBox', '0 0 ' + w + ' ' + h);
    const x = function (t) { return PAD.l + (w - PAD.l - PAD.r) * (x1 === x0 ? 1 : (t - x0) / (x1 - x0)); };
    const y = function (v) { return h - PAD.b - (h - PAD.t - PAD.b) * (v - yr.lo) / (yr.hi - yr.lo); };
    yr.ticks.forEach(function (v) {
      el('line', { x1: PAD.l, x2: w - PAD.r, y1: y(v), y2: y(v), 'class': 'grid' }, svg);
      el('text', { x: PAD.l - 4, y: y(v) + 3, 'class': 'tick y', 'text-anchor': 'end' }, svg).textContent = tickLabel(v, yr.step);
    });
    el('text', { x: 2, y: 10, 'class': 'unit' }, svg).textContent = unit.label;
    xTicks.forEach(function (k) {
      const xx = x(k.t);
      if (xx < PAD.l - 0.5 || xx > w - PAD.r + 0.5) { return; }
      // A label that would be cut at the chart's right edge (about 5.5 px a glyph) ends at its tick.
      const anchor = xx + k.label.length * 2.8 > w ? 'end' : 'middle';
      el('line', { x1: xx, x2: xx, y1: h - PAD.b, y2: h - PAD.b + 3, 'class': 'axis' }, svg);
      el('text', { x: xx, y: h - 6, 'class': 'tick x', 'text-anchor': anchor }, svg).textContent = k.label;
    });
    el('line', { x1: PAD.l, y1: h - PAD.b, x2: w - PAD.r, y2: h - PAD.b, 'class': 'axis' }, svg);
    el('line', { x1: PAD.l, y1: PAD.t, x2: PAD.l, y2: h - PAD.b, 'class': 'axis' }, svg);
    return { x: x, y: y };
  }

  function line(points, sx, sy, step) {
    let d = '', pen = 'M', prevY = null;
    points.forEach(function (p) {
      if (p[1] === null || p[1] === undefined) { pen = 'M'; prevY = null; return; }
      const X = sx(p[0]).toFixed(1), Y = sy(p[1]).toFixed(1);
      if (step && pen === 'L') { d += 'H' + X + ' V' + Y + ' '; } else { d += pen + X + ',' + Y + ' '; }
      pen = 'L';
      prevY = Y;
    });
    return d;
  }

  // Polygon through upper bounds forward and lower bounds back, opening at the last observation.
  function band(svg, cls, origin, fp, lo, hi, sx, sy, floor) {
    const pts = fp.filter(function (p) { return p[lo] !== null && p[hi] !== null; });
    if (pts.length === 0) { return null; }
    const xy = [sx(origin.t).toFixed(1) + ',' + sy(origin.v).toFixed(1)];
    pts.forEach(function (p) { xy.push(sx(p.t).toFixed(1) + ',' + sy(p[hi]).toFixed(1)); });
    for (let i = pts.length - 1; i >= 0; i--) {
      xy.push(sx(pts[i].t).toFixed(1) + ',' + sy(Math.max(floor, pts[i][lo])).toFixed(1));
    }
    return el('polygon', { points: xy.join(' '), 'class': cls, 'data-points': pts.length }, svg);
  }

  function scaled(d, k) {
    const s = function (v) { return v === null || v === undefined ? null : v * k; };
    return {
      ht: d.history.t, hv: d.history.v.map(s),
      st: d.servedForecasts.t, sv: d.servedForecasts.v.map(s),
      at: d.anomalyScores.t, av: d.anomalyScores.v,
      fp: (d.forecastPath || []).map(function (p) {
        return { t: p.t, mean: s(p.mean), lower80: s(p.lower80), upper80: s(p.upper80), lower95: s(p.lower95), upper95: s(p.upper95) };
      }),
      served: s(d.served), observed: s(d.observed)
    };
  }

  function lastPoint(ht, hv) {
    for (let i = ht.length - 1; i >= 0; i--) { if (hv[i] !== null) { return { t: ht[i], v: hv[i] }; } }
    return null;
  }

  // History: observed (area + line), served as a step line, the fan at the right edge.
  function drawHistory(svg, d, unit, windowSec) {
    const w = Math.max(200, Math.floor(svg.parentNode.clientWidth || 0)), h = 180;
    const s = scaled(d, unit.k);
    if (s.ht.length === 0) { while (svg.firstChild) { svg.removeChild(svg.firstChild); } return 0; }
    const last = s.ht[s.ht.length - 1];
    let t0 = s.ht[0];
    if (windowSec > 0) { t0 = Math.max(t0, last - windowSec * 1000); }
    let t1 = last;
    s.fp.forEach(function (p) { t1 = Math.max(t1, p.t); });
    const inWin = function (t) { return t >= t0; };
    const obs = [], served = [];
    s.ht.forEach(function (t, i) { if (inWin(t)) { obs.push([t, s.hv[i]]); } });
    s.st.forEach(function (t, i) { if (inWin(t)) { served.push([t, s.sv[i]]); } });
    const vals = obs.map(function (p) { return p[1]; }).concat(served.map(function (p) { return p[1]; }));
    s.fp.forEach(function (p) { vals.push(p.mean, p.upper80); });
    const yr = yRange(vals, 4);
    const st = timeStep(t1 - t0, Math.max(2, Math.floor(w / 75)));
    const ticks = [];
    for (let t = Math.ceil(t0 / st) * st; t <= t1; t += st) { ticks.push({ t: t, label: clock(t, st) }); }
    const sc = frame(svg, w, h, t0, t1, yr, unit, ticks);
    const o = lastPoint(s.ht, s.hv);
    if (o) { band(svg, 'band', o, s.fp, 'lower80', 'upper80', sc.x, sc.y, yr.lo); }
    const n = obs.filter(function (p) { return p[1] !== null; }).length;
    const path = line(obs, sc.x, sc.y, false);
    if (n > 1) {
      const first = obs.find(function (p) { return p[1] !== null; });
      el('path', { d: path + 'V' + sc.y(yr.lo).toFixed(1) + ' H' + sc.x(first[0]).toFixed(1) + ' Z', 'class': 'obs-area' }, svg);
    }
    el('path', { d: path, 'class': 'obs', 'data-points': n }, svg);
    const sp = line(served, sc.x, sc.y, true);
    if (sp) { el('path', { d: sp, 'class': 'served', 'data-points': served.length }, svg); }
    if (o && s.fp.length > 0) {
      const fc = [[o.t, o.v]].concat(s.fp.map(function (p) { return [p.t, p.mean]; }));
      el('path', { d: line(fc, sc.x, sc.y, false), 'class': 'fc', 'data-points': s.fp.length }, svg);
      el('line', { x1: sc.x(o.t), x2: sc.x(o.t), y1: PAD.t, y2: h - PAD.b, 'class': 'now' }, svg);
    }
    // Anomalies: markers on the observed line where the score reached "minor" (25) or more.
    const byT = {};
    obs.forEach(function (p) { byT[p[0]] = p[1]; });
    s.at.forEach(function (t, i) {
      const v = s.av[i];
      if (v !== null && v >= 25 && byT[t] !== undefined && byT[t] !== null) {
        el('circle', { cx: sc.x(t), cy: sc.y(byT[t]), r: 2.5 + v / 40, 'class': 'anom' }, svg)
          .appendChild(el('title', {})).textContent = 'anomaly score ' + fmt(v);
      }
    });
    return n;
  }

  // Next lead: the last observations, the fan (95 % and 80 % bands, mean) over the lead, the
  // observed floor and the served value, with ticks relative to now.
  function drawLead(svg, d, unit, stepMs, leadMs) {
    const w = Math.max(200, Math.floor(svg.parentNode.clientWidth || 0)), h = 180;
    const s = scaled(d, unit.k);
    const o = lastPoint(s.ht, s.hv);
    if (!o || s.fp.length === 0) {
      while (svg.firstChild) { svg.removeChild(svg.firstChild); }
      svg.setAttribute('width', w); svg.setAttribute('height', 40);
      el('text', { x: 4, y: 24, 'class': 'empty' }, svg).textContent = 'no forecast yet';
      return 0;
    }
    // The fan's timestamps are on the model's grid, which may sit a little off the refreshes'.
    const lead = leadMs || s.fp[s.fp.length - 1].t - o.t;
    const back = Math.max(2 * lead, 4 * stepMs);
    const t0 = o.t - back, t1 = Math.max(o.t + lead, s.fp[s.fp.length - 1].t);
    const obs = [];
    s.ht.forEach(function (t, i) { if (t >= t0) { obs.push([t, s.hv[i]]); } });
    const vals = obs.map(function (p) { return p[1]; }).concat([s.served, o.v]);
    s.fp.forEach(function (p) { vals.push(p.mean, p.upper95 !== null ? p.upper95 : p.upper80, p.lower95 !== null ? p.lower95 : p.lower80); });
    const yr = yRange(vals, 4);
    // Ticks at fractions of the lead relative to now (the lead end is always one): -2L .. +L.
    const maxTicks = Math.max(3, Math.floor(w / 60));
    let st = lead;
    for (const k of [4, 2]) { if ((t1 - t0) / (lead / k) <= maxTicks && lead / k >= stepMs) { st = lead / k; break; } }
    const ticks = [];
    for (let k = -Math.floor(back / st + 1e-9); o.t + k * st <= t1 + 1; k++) { ticks.push({ t: o.t + k * st, label: relative(k * st) }); }
    const sc = frame(svg, w, h, t0, t1, yr, unit, ticks);
    el('rect', { x: sc.x(o.t), y: PAD.t, width: sc.x(t1) - sc.x(o.t), height: h - PAD.t - PAD.b, 'class': 'future' }, svg);
    band(svg, 'band95', o, s.fp, 'lower95', 'upper95', sc.x, sc.y, yr.lo);
    band(svg, 'band', o, s.fp, 'lower80', 'upper80', sc.x, sc.y, yr.lo);
    el('path', { d: line(obs, sc.x, sc.y, false), 'class': 'obs', 'data-points': obs.length }, svg);
    el('line', { x1: sc.x(o.t), x2: sc.x(t1), y1: sc.y(o.v), y2: sc.y(o.v), 'class': 'floor' }, svg);
    const fc = [[o.t, o.v]].concat(s.fp.map(function (p) { return [p.t, p.mean]; }));
    el('path', { d: line(fc, sc.x, sc.y, false), 'class': 'fc', 'data-points': s.fp.length }, svg);
    s.fp.forEach(function (p) {
      if (p.mean !== null) { el('circle', { cx: sc.x(p.t), cy: sc.y(p.mean), r: 2.2, 'class': 'fc-dot' }, svg); }
    });
    if (s.served !== null) {
      el('line', { x1: sc.x(o.t), x2: sc.x(t1), y1: sc.y(s.served), y2: sc.y(s.served), 'class': 'served-level' }, svg);
      const label = el('text', { x: sc.x(o.t) - 4, y: sc.y(s.served) - 4, 'class': 'served-label', 'text-anchor': 'end' }, svg);
      label.textContent = 'served ' + fmt(s.served);
    }
    el('line', { x1: sc.x(o.t), x2: sc.x(o.t), y1: PAD.t, y2: h - PAD.b, 'class': 'now' }, svg);
    return s.fp.length;
  }

  // ---- cards --------------------------------------------------------------------------------

  function groupKey(s) { return s.namespace + '/' + s.object; }

  function group(s) {
    const key = groupKey(s);
    let g = state.groups[key];
    if (!g) {
      const sec = html('section', 'group', null);
      sec.setAttribute('data-service', key);
      const h = html('h2', 'group-title', sec);
      h.appendChild(document.createTextNode(s.object + ' '));
      html('small', null, h, s.namespace + (s.kumaService && s.kumaService !== s.object ? ' · ' + s.kumaService : ''));
      const grid = html('div', 'charts', sec);
      g = state.groups[key] = { sec: sec, grid: grid, kumaService: s.kumaService, namespace: s.namespace, object: s.object };
      // Keep groups sorted by key.
      const parent = document.getElementById('groups');
      const after = Object.keys(state.groups).sort().find(function (k) { return k > key && state.groups[k].sec.parentNode; });
      parent.insertBefore(sec, after ? state.groups[after].sec : null);
    }
    return g;
  }

  function meta(label, value, cls) {
    const span = html('span', 'num' + (cls ? ' ' + cls : ''), null);
    span.appendChild(document.createTextNode(label + ' '));
    html('b', null, span, value);
    return span;
  }

  function card(s) {
    let c = state.cards[s.id];
    // The unit comes with the data (/debug/metrics), so numbers, axes and explanations agree.
    const unit = s.unit ? { label: s.unit.label, k: s.unit.scale } : { label: '', k: 1 };
    if (!c) {
      const div = html('div', 'card', null);
      div.setAttribute('data-series', s.id);
      const head = html('div', 'card-head', div);
      const h = html('h3', null, head);
      const rule = html('span', 'rule', head);
      const nums = html('div', 'numbers', div);
      const plots = html('div', 'plots', div);
      const f1 = html('figure', 'plot history', plots);
      const svg1 = el('svg', { 'class': 'chart history' }, f1);
      const cap1 = html('figcaption', null, f1);
      const f2 = html('figure', 'plot lead', plots);
      const svg2 = el('svg', { 'class': 'chart lead' }, f2);
      const cap2 = html('figcaption', null, f2);
      const why = html('p', 'why', div);
      const model = html('p', 'model', div);
      const notes = html('div', 'notes', div);
      group(s).grid.appendChild(div);
      c = state.cards[s.id] = { div: div, h: h, rule: rule, nums: nums, svg1: svg1, svg2: svg2, cap1: cap1, cap2: cap2, why: why, model: model, notes: notes };
      // Redraw at the real pixel width (text stays crisp; no stretched viewBox).
      if (window.ResizeObserver) {
        let lastW = 0;
        new ResizeObserver(function () {
          const w = plots.clientWidth;
          if (w !== lastW && c.detail) { lastW = w; render(c); }
        }).observe(plots);
      }
    }
    c.summary = s;
    c.unit = unit;
    c.h.textContent = title(s.signal) + (s.level === 'pod' ? ' · ' + s.object : '');
    c.h.title = s.id;
    const rule = s.rule ? s.rule.name : s.servedBy;
    c.rule.textContent = (rule || 'unknown').replace(/_/g, ' ');
    c.rule.className = 'rule rule-' + rule;
    c.div.className = 'card sev-' + s.severity;
    c.nums.replaceChildren(
      meta('observed', fmt(s.observed === null ? null : s.observed * unit.k) + ' ' + unit.label, 'observed'),
      meta('served', fmt(s.served === null ? null : s.served * unit.k) + ' ' + unit.label, 'served'),
      meta('change', s.observed > 0 && s.served !== null ? (s.served >= s.observed ? '+' : '') + fmt(100 * (s.served / s.observed - 1)) + ' %' : '–'),
      meta('anomaly', fmt(s.anomalyScore) + ' (' + s.severity + ')'));
    c.why.replaceChildren();
    html('b', null, c.why, 'Why ' + fmt(s.served === null ? null : s.served * unit.k) + ': ');
    c.why.appendChild(document.createTextNode(s.rule ? s.rule.explanation : 'served by ' + s.servedBy));
    c.model.replaceChildren();
    c.model.appendChild(document.createTextNode('model: ' + (s.modelDescription || s.model) + ' '));
    const raw = html('code', null, c.model, s.model);
    raw.title = 'model name as the forecaster reports it';
    c.model.appendChild(document.createTextNode(' · recent error ' + fmt(s.relativeError) + ' × naive · ' +
      s.historySize + ' points · ' + s.refits + ' refits · data age ' + fmt(s.dataAgeSeconds) + ' s' +
      (s.lastError ? ' · last error: ' + s.lastError : '')));
    c.notes.replaceChildren();
    if (s.window && s.window.state !== 'full') {
      // A partly covered rate window (Prometheus or scrape gap, new pod): not fed to the models.
      html('div', 'partial', c.notes, (s.window.state === 'partial' ? 'partial window' : 'insufficient window') +
        ': ' + fmt(100 * s.window.coverage) + ' % covered, ' + s.window.samples + ' samples' +
        (s.window.state === 'partial' ? ' (rate over the covered span; not fed to the models)'
          : ' (last complete value kept up to maxAge)'));
    }
    if (s.fallback) { html('div', 'fallback', c.notes, 'serving the observed value: ' + s.fallback); }
    return getJson('metrics/' + s.id.split('/').map(encodeURIComponent).join('/')).then(function (d) {
      c.detail = d;
      render(c);
    });
  }

  function render(c) {
    if (!c.detail || !state.overview || c.div.offsetParent === null) { return; }
    const win = +document.getElementById('window').value;
    const stepMs = state.overview.stepSeconds * 1000;
    const n = drawHistory(c.svg1, c.detail, c.unit, win);
    c.svg1.setAttribute('data-rendered', n);
    const m = drawLead(c.svg2, c.detail, c.unit, stepMs, state.overview.leadSeconds * 1000);
    c.svg2.setAttribute('data-rendered', m);
    c.cap1.textContent = (win > 0 ? 'last ' + relative(win * 1000).slice(1) : 'history kept') + ': observed vs served';
    c.cap2.textContent = 'next ' + relative(state.overview.leadSeconds * 1000).slice(1) +
      ': forecast fan, served value and observed floor';
  }

  function renderAll() {
    Object.keys(state.cards).forEach(function (id) { render(state.cards[id]); });
  }

  // ---- service map --------------------------------------------------------------------------

  function nodeKey(n) { return (n.namespace || '') + '/' + n.service; }

  // The card group of a graph node: same namespace, and the node's service is the Service name
  // or its Kuma service tag.
  function groupOf(n) {
    const keys = Object.keys(state.groups);
    for (const k of keys) {
      const g = state.groups[k];
      if ((!n.namespace || g.namespace === n.namespace) && (g.object === n.service || g.kumaService === n.service)) { return k; }
    }
    return null;
  }

  function maxAnomaly(n) {
    if (!state.overview) { return null; }
    let best = null;
    state.overview.series.forEach(function (s) {
      if (s.level === 'service' && s.namespace === n.namespace && (s.object === n.service || s.kumaService === n.service) && s.anomalyScore !== null) {
        best = best === null ? s.anomalyScore : Math.max(best, s.anomalyScore);
      }
    });
    return best;
  }

  function colour(x) { // 0 green -> 1 red
    const v = Math.max(0, Math.min(1, x));
    return 'hsl(' + Math.round(120 * (1 - v)) + ', 65%, 45%)';
  }

  // Ranks by longest path from the callers nobody calls; back edges (cycles) and self-calls are
  // left out of the ranking only.
  function ranks(nodes, edges) {
    const out = {}, colourOf = {}, back = new Set();
    nodes.forEach(function (n) { out[nodeKey(n)] = []; });
    edges.forEach(function (e, i) { if (out[e.from] && out[e.to] && e.from !== e.to) { out[e.from].push(i); } });
    const visit = function (k) {
      colourOf[k] = 1;
      out[k].forEach(function (i) {
        const to = edges[i].to;
        if (colourOf[to] === 1) { back.add(i); } else if (!colourOf[to]) { visit(to); }
      });
      colourOf[k] = 2;
    };
    const indeg = {};
    nodes.forEach(function (n) { indeg[nodeKey(n)] = 0; });
    edges.forEach(function (e) { if (e.from !== e.to && indeg[e.to] !== undefined) { indeg[e.to]++; } });
    nodes.map(nodeKey).sort(function (a, b) { return indeg[a] - indeg[b]; }).forEach(function (k) { if (!colourOf[k]) { visit(k); } });
    const rank = {};
    nodes.forEach(function (n) { rank[nodeKey(n)] = 0; });
    for (let pass = 0; pass < nodes.length; pass++) {
      let changed = false;
      edges.forEach(function (e, i) {
        if (e.from === e.to || back.has(i) || rank[e.from] === undefined || rank[e.to] === undefined) { return; }
        if (rank[e.to] < rank[e.from] + 1) { rank[e.to] = rank[e.from] + 1; changed = true; }
      });
      if (!changed) { break; }
    }
    return rank;
  }

  function drawMap(g) {
    const box = document.getElementById('map');
    const note = document.getElementById('map-note');
    box.replaceChildren();
    const nodes = g.nodes || [], raw = g.edges || [];
    if (nodes.length === 0) {
      note.hidden = false;
      // The graph says why it is empty (demo mode, a failed query); otherwise nothing was seen.
      note.textContent = 'no graph data: ' + (g.error
        || '/debug/graph has no services yet (no outbound traffic seen)');
      document.getElementById('map-legend').hidden = true;
      return;
    }
    note.hidden = true;
    document.getElementById('map-legend').hidden = false;
    const byKey = {};
    nodes.forEach(function (n) { byKey[nodeKey(n)] = n; });
    const find = function (name, ns) {
      if (byKey[(ns || '') + '/' + name]) { return (ns || '') + '/' + name; }
      const k = Object.keys(byKey).find(function (x) { return byKey[x].service === name; });
      return k || null;
    };
    const edges = raw.map(function (e) {
      return Object.assign({}, e, { from: find(e.source, e.sourceNamespace), to: find(e.destination, e.destinationNamespace) });
    }).filter(function (e) { return e.from && e.to; });
    const rank = ranks(nodes, edges);
    const layers = [];
    nodes.forEach(function (n) { const r = rank[nodeKey(n)]; (layers[r] = layers[r] || []).push(n); });
    const w = Math.max(280, box.clientWidth || 600);
    const vertical = w < 560;
    const maxLayer = Math.max.apply(null, layers.map(function (l) { return l ? l.length : 0; }));
    const gap = vertical ? 100 : 110;
    const h = vertical ? 80 + (layers.length - 1) * gap : Math.max(220, 50 + maxLayer * gap);
    const svg = el('svg', { 'class': 'map-svg', width: w, height: h, viewBox: '0 0 ' + w + ' ' + h }, box);
    const defs = el('defs', {}, svg);
    const marker = el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 4, markerHeight: 4, orient: 'auto-start-reverse' }, defs);
    el('path', { d: 'M0,0 L10,5 L0,10 z', 'class': 'arrowhead' }, marker);
    const load = function (n) { return n.rps !== undefined && n.rps !== null ? n.rps : n.demand; };
    const maxLoad = Math.max(1e-9, Math.max.apply(null, nodes.map(function (n) { return load(n) || 0; })));
    const sats = nodes.map(function (n) { return n.saturation; }).filter(function (v) { return v !== undefined && v !== null; });
    const satMax = sats.length ? Math.max.apply(null, sats) : null;
    const useSat = sats.length > 0;
    document.getElementById('map-colour').textContent = useSat
      ? (satMax <= 1 ? 'saturation' : 'saturation relative to the busiest (' + fmt(satMax) + ')')
      : 'highest anomaly score of the service\'s signals (no saturation in the graph)';
    const pos = {};
    layers.forEach(function (layer, r) {
      if (!layer) { return; }
      layer.sort(function (a, b) { return nodeKey(a) < nodeKey(b) ? -1 : 1; });
      layer.forEach(function (n, i) {
        const along = (i + 0.5) / layer.length;
        pos[nodeKey(n)] = vertical
          ? { x: w * 0.2 + along * w * 0.45, y: 40 + r * gap }
          : { x: 60 + (layers.length === 1 ? 0.5 : r / (layers.length - 1)) * (w - 120), y: 30 + along * (h - 60) };
      });
    });
    const radius = function (n) { const l = load(n); return l === undefined || l === null ? 12 : 9 + 19 * Math.sqrt(Math.max(0, l) / maxLoad); };
    const maxRps = Math.max(1e-9, Math.max.apply(null, edges.map(function (e) { return e.rps || 0; })));
    const eg = el('g', { 'class': 'edges' }, svg);
    edges.forEach(function (e) {
      const a = pos[e.from], b = pos[e.to];
      const width = 1 + 6 * Math.sqrt(Math.max(0, e.rps || 0) / maxRps);
      const cls = 'edge' + (e.stable === false ? ' unstable' : '') + (e.errorRatio >= 0.01 ? ' errors' : '');
      let d, lx, ly;
      let anchor = vertical ? 'start' : 'middle';
      if (e.from === e.to) {
        // A self-call: a loop on the side away from the labels (above, or left when vertical).
        const r = radius(byKey[e.from]);
        const q = function (u, v) { return vertical ? (a.x - v).toFixed(1) + ',' + (a.y + u).toFixed(1) : (a.x + u).toFixed(1) + ',' + (a.y - v).toFixed(1); };
        d = 'M' + q(-r * 0.6, r * 0.8) + ' C' + q(-r * 1.6, r * 3) + ' ' + q(r * 1.6, r * 3) + ' ' + q(r * 0.6, r * 0.8);
        lx = vertical ? a.x - r * 2.6 : a.x; ly = vertical ? a.y + 4 : a.y - r * 2.5;
        anchor = vertical ? 'end' : 'middle';
      } else {
        const rb = radius(byKey[e.to]), ra = radius(byKey[e.from]);
        const dx = b.x - a.x, dy = b.y - a.y, len = Math.max(1, Math.hypot(dx, dy));
        // Curve slightly so that a -> b and b -> a do not overlap, and an edge that skips ranks
        // well clear of the nodes in between (up, or left when vertical: away from the labels).
        const span = Math.abs(rank[e.to] - rank[e.from]);
        const room = vertical ? w - 80 : h - 60;
        const bend = span > 1 ? Math.min(0.4 * len, room) : 14;
        const side = vertical ? -1 : 1;
        const nx = side * dy / len * bend, ny = -side * dx / len * bend;
        if (vertical && span > 1) { anchor = 'end'; }
        const sx = a.x + dx / len * ra, sy = a.y + dy / len * ra;
        const tx = b.x - dx / len * (rb + 2), ty = b.y - dy / len * (rb + 2);
        const cx = (sx + tx) / 2 + nx, cy = (sy + ty) / 2 + ny;
        d = 'M' + sx.toFixed(1) + ',' + sy.toFixed(1) + ' Q' + cx.toFixed(1) + ',' + cy.toFixed(1) + ' ' + tx.toFixed(1) + ',' + ty.toFixed(1);
        lx = (sx + 2 * cx + tx) / 4; ly = (sy + 2 * cy + ty) / 4;
      }
      const p = el('path', { d: d, 'class': cls, 'stroke-width': width.toFixed(1), 'marker-end': 'url(#arrow)', 'data-source': e.source, 'data-destination': e.destination }, eg);
      el('title', {}, p).textContent = e.source + ' → ' + e.destination + ': ' + fmt(e.rps) + ' calls/s, ×' + fmt(e.ratio) +
        ' callee requests per caller request' + (e.errorRatio !== undefined ? ', errors ' + fmt(100 * e.errorRatio) + ' %' : '') +
        (e.p99Ms !== undefined ? ', caller-side p99 ' + fmt(e.p99Ms) + ' ms' : '') + (e.stable === false ? ', ratio unstable (not propagated)' : '');
      const t = el('text', { x: (lx + (anchor === 'start' ? 6 : anchor === 'end' ? -6 : 0)).toFixed(1), y: (ly - 3).toFixed(1), 'class': 'edge-label', 'text-anchor': anchor }, eg);
      t.textContent = fmt(e.rps) + '/s' + (e.ratio !== undefined && e.ratio !== null ? ' ×' + fmt(e.ratio) : '');
    });
    const ng = el('g', { 'class': 'nodes' }, svg);
    nodes.forEach(function (n) {
      const k = nodeKey(n), p = pos[k], r = radius(n);
      const target = groupOf(n);
      const g = el('g', { 'class': 'node' + (target ? '' : ' unmodelled') + (state.focus && state.focus === target ? ' selected' : ''), 'data-service': n.service, 'data-namespace': n.namespace || '', tabindex: 0, role: 'button' }, ng);
      let fill = '#9ca3af';
      if (useSat && n.saturation !== undefined && n.saturation !== null) {
        fill = colour(satMax <= 1 ? n.saturation : n.saturation / satMax);
      } else if (!useSat) {
        const a = maxAnomaly(n);
        if (a !== null) { fill = colour(a / 100); }
      }
      el('circle', { cx: p.x.toFixed(1), cy: p.y.toFixed(1), r: r.toFixed(1), fill: fill, 'class': 'node-dot' }, g);
      // Labels below the node, or to its right when the map runs top to bottom.
      const lx = vertical ? p.x + r + 6 : p.x, ly = vertical ? p.y - 2 : p.y + r + 12, la = vertical ? 'start' : 'middle';
      const label = el('text', { x: lx.toFixed(1), y: ly.toFixed(1), 'text-anchor': la, 'class': 'node-label' }, g);
      label.textContent = shortService(n.service, n.namespace);
      const l = load(n);
      const sub = el('text', { x: lx.toFixed(1), y: (ly + 12).toFixed(1), 'text-anchor': la, 'class': 'node-sub' }, g);
      sub.textContent = (l !== undefined && l !== null ? fmt(l) + ' req/s' : '') +
        (n.saturation !== undefined && n.saturation !== null ? ' · sat ' + (satMax <= 1 ? fmt(100 * n.saturation) + ' %' : fmt(n.saturation)) : '');
      if (n.upstreamDemand !== undefined && n.upstreamDemand !== null) {
        // How much of the demand forecast its callers are about to send (propagated demand).
        el('text', { x: lx.toFixed(1), y: (ly + 23).toFixed(1), 'text-anchor': la, 'class': 'node-sub upstream' }, g)
          .textContent = fmt(n.upstreamDemand) + ' req/s from callers';
      }
      el('title', {}, g).textContent = n.service + (n.namespace ? ' (' + n.namespace + ')' : '') +
        Object.keys(n).filter(function (f) { return f !== 'service' && f !== 'namespace' && typeof n[f] !== 'object'; })
          .map(function (f) { return '\n' + f + ': ' + (typeof n[f] === 'number' ? fmt(n[f]) : n[f]); }).join('') +
        (target ? '\nclick: show its cards' : '\nno modelled series for this service');
      const open = function () { if (target) { focus(target, true); } };
      g.addEventListener('click', open);
      g.addEventListener('keydown', function (ev) { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); open(); } });
    });
    svg.setAttribute('data-nodes', nodes.length);
    svg.setAttribute('data-edges', edges.length);
  }

  function loadGraph() {
    return getJson('graph').then(function (g) {
      state.graph = g;
      drawMap(g);
    }).catch(function (e) {
      state.graph = null;
      document.getElementById('map').replaceChildren();
      document.getElementById('map-legend').hidden = true;
      const note = document.getElementById('map-note');
      note.hidden = false;
      note.textContent = e.status === 404
        ? 'no graph data: this adapter serves no /debug/graph (HTTP 404)'
        : 'no graph data: ' + e.message;
    });
  }

  // ---- focus, refresh, HPA form -------------------------------------------------------------

  function focus(key, scroll) {
    state.focus = key;
    Object.keys(state.groups).forEach(function (k) { state.groups[k].sec.hidden = !!key && k !== key; });
    document.getElementById('focus').textContent = key ? 'service ' + key : 'all services';
    document.getElementById('show-all').hidden = !key;
    document.querySelectorAll('#map .node').forEach(function (n) {
      n.classList.toggle('selected', !!key && groupOf({ service: n.getAttribute('data-service'), namespace: n.getAttribute('data-namespace') }) === key);
    });
    if (key) { history.replaceState(null, '', '#service=' + encodeURIComponent(key)); } else { history.replaceState(null, '', '#'); }
    renderAll();
    if (scroll && key && state.groups[key]) { state.groups[key].sec.scrollIntoView({ block: 'start' }); }
  }

  function refresh() {
    return getJson('metrics').then(function (o) {
      state.overview = o;
      const showPods = document.getElementById('show-pods').checked;
      document.getElementById('status').textContent = o.series.length + ' series · step ' + relative(o.stepSeconds * 1000).slice(1) +
        ' · lead ' + relative(o.leadSeconds * 1000).slice(1) + ' (' + o.leadSteps + ' steps) · safety ' + o.safety +
        (o.servedQuantile !== null && o.servedQuantile !== undefined ? ' · serves the ' + Math.round(100 * o.servedQuantile) + ' % quantile' : ' · serves the mean') +
        ' · models ' + o.bootstrap.state.toLowerCase() + ' · refreshed ' + clock(Date.parse(o.lastRefresh), 1000);
      const sel = document.getElementById('hpa-series');
      const chosen = sel.value;
      sel.replaceChildren();
      o.series.forEach(function (s) {
        const opt = html('option', null, sel, s.id);
        opt.value = s.id;
      });
      if (chosen) {
        sel.value = chosen;
      } else {
        const rps = o.series.filter(function (s) { return /\/kuma_rps$/.test(s.id); })[0];
        if (rps) { sel.value = rps.id; }
      }
      const wanted = o.series.filter(function (s) { return showPods || s.level !== 'pod'; });
      const keep = {};
      wanted.forEach(function (s) { keep[s.id] = true; });
      Object.keys(state.cards).forEach(function (id) {
        if (!keep[id]) { state.cards[id].div.remove(); delete state.cards[id]; }
      });
      return Promise.all(wanted.map(card)).then(loadGraph);
    }).then(function () {
      const m = /#service=([^&]+)/.exec(location.hash);
      if (m && state.focus === null && state.groups[decodeURIComponent(m[1])]) { focus(decodeURIComponent(m[1]), false); }
      document.body.setAttribute('data-loaded', 'true');
    }).catch(function (e) {
      document.getElementById('status').textContent = 'error: ' + e.message;
    });
  }

  function hpa(ev) {
    if (ev) { ev.preventDefault(); }
    const q = ['id', 'kind', 'target', 'current', 'min', 'max'].map(function (k) {
      const v = document.getElementById(k === 'id' ? 'hpa-series' : 'hpa-' + k).value;
      return k + '=' + encodeURIComponent(v);
    }).join('&');
    getJson('hpa?' + q).then(function (r) {
      const out = document.getElementById('hpa-result');
      out.replaceChildren();
      out.appendChild(document.createTextNode('on the observed value (' + fmt(r.observed.usage) + '): '));
      html('b', null, out, String(r.observed.desired));
      out.appendChild(document.createTextNode(' replicas · on the prediction (' + fmt(r.predicted.usage) + '): '));
      html('b', null, out, String(r.predicted.desired));
      out.appendChild(document.createTextNode(' replicas'));
    }).catch(function (e) {
      document.getElementById('hpa-result').textContent = e.message;
    });
  }

  document.getElementById('hpa-form').addEventListener('submit', hpa);
  document.getElementById('show-pods').addEventListener('change', refresh);
  document.getElementById('window').addEventListener('change', renderAll);
  document.getElementById('show-all').addEventListener('click', function () { focus(null, false); });
  window.addEventListener('resize', function () { if (state.graph) { drawMap(state.graph); } });
  refresh().then(function () { if (state.overview && state.overview.series.length) { hpa(); } });
  setInterval(refresh, 5000);
})();
