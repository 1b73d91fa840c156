// meshcast debug page: one hand-drawn SVG chart per modelled series (no external libraries).
'use strict';
(function () {
  var W = 420, H = 170, PAD = { l: 38, r: 8, t: 8, b: 16 };
  var NS = 'http://www.w3.org/2000/svg';
  var state = { overview: null, cards: {} };

  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) { e.setAttribute(k, attrs[k]); }
    if (parent) { parent.appendChild(e); }
    return e;
  }

  function fmt(x) {
    if (x === null || x === undefined) { return '–'; }
    var a = Math.abs(x);
    if (a >= 1000) { return x.toFixed(0); }
    if (a >= 10) { return x.toFixed(1); }
    if (a >= 0.1) { return x.toFixed(2); }
    return x.toPrecision(2);
  }

  function esc(x) {
    return String(x).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  function getJson(url) {
    return fetch(url, { credentials: 'same-origin' }).then(function (r) {
      if (!r.ok) { throw new Error(url + ': HTTP ' + r.status); }
      return r.json();
    });
  }

  // Draws history, forecast band and mean, served forecasts and anomaly markers into svg.
  function draw(svg, d) {
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    var ht = d.history.t, hv = d.history.v, fp = d.forecastPath || [];
    if (ht.length === 0) { return 0; }
    var t0 = ht[0], t1 = ht[ht.length - 1];
    fp.forEach(function (p) { t1 = Math.max(t1, p.t); });
    var ymax = 0;
    hv.forEach(function (v) { if (v !== null) { ymax = Math.max(ymax, v); } });
    fp.forEach(function (p) { [p.mean, p.upper80].forEach(function (v) { if (v !== null) { ymax = Math.max(ymax, v); } }); });
    d.servedForecasts.v.forEach(function (v) { if (v !== null) { ymax = Math.max(ymax, v); } });
    if (ymax <= 0) { ymax = 1; }
    ymax *= 1.08;
    var x = function (t) { return PAD.l + (W - PAD.l - PAD.r) * (t1 === t0 ? 1 : (t - t0) / (t1 - t0)); };
    var y = function (v) { return H - PAD.b - (H - PAD.t - PAD.b) * v / ymax; };
    el('line', { x1: PAD.l, y1: H - PAD.b, x2: W - PAD.r, y2: H - PAD.b, 'class': 'axis' }, svg);
    el('line', { x1: PAD.l, y1: PAD.t, x2: PAD.l, y2: H - PAD.b, 'class': 'axis' }, svg);
    el('text', { x: 2, y: PAD.t + 8 }, svg).textContent = fmt(ymax);
    el('text', { x: 2, y: H - PAD.b }, svg).textContent = '0';
    el('text', { x: PAD.l, y: H - 3 }, svg).textContent = new Date(t0).toLocaleTimeString();
    el('text', { x: W - PAD.r - 48, y: H - 3 }, svg).textContent = new Date(t1).toLocaleTimeString();
    var last = { t: ht[ht.length - 1], v: hv[hv.length - 1] };
    // 80 % band: upper bounds forward, lower bounds back, anchored at the last observation.
    var band = fp.filter(function (p) { return p.lower80 !== null && p.upper80 !== null; });
    if (band.length > 0 && last.v !== null) {
      var pts = [x(last.t) + ',' + y(last.v)];
      band.forEach(function (p) { pts.push(x(p.t) + ',' + y(p.upper80)); });
      for (var i = band.length - 1; i >= 0; i--) { pts.push(x(band[i].t) + ',' + y(Math.max(0, band[i].lower80))); }
      el('polygon', { points: pts.join(' '), 'class': 'band' }, svg);
    }
    var n = 0;
    var obs = '', pen = 'M';
    for (var j = 0; j < ht.length; j++) {
      if (hv[j] === null) { pen = 'M'; continue; }
      obs += pen + x(ht[j]).toFixed(1) + ',' + y(hv[j]).toFixed(1) + ' ';
      pen = 'L';
      n++;
    }
    el('path', { d: obs, 'class': 'obs', 'data-points': n }, svg);
    var st = d.servedForecasts.t, sv = d.servedForecasts.v, served = '';
    pen = 'M';
    for (var k = 0; k < st.length; k++) {
      if (sv[k] === null || st[k] < t0) { pen = 'M'; continue; }
      served += pen + x(st[k]).toFixed(1) + ',' + y(sv[k]).toFixed(1) + ' ';
      pen = 'L';
    }
    if (served) { el('path', { d: served, 'class': 'served' }, svg); }
    if (fp.length > 0 && last.v !== null) {
      var fc = 'M' + x(last.t).toFixed(1) + ',' + y(last.v).toFixed(1);
      fp.forEach(function (p) { if (p.mean !== null) { fc += ' L' + x(p.t).toFixed(1) + ',' + y(p.mean).toFixed(1); } });
      el('path', { d: fc, 'class': 'fc', 'data-points': fp.length }, svg);
    }
    // Anomalies: markers on the observed line where the score reached "minor" (25) or more.
    var byT = {};
    for (var m = 0; m < ht.length; m++) { byT[ht[m]] = hv[m]; }
    var at = d.anomalyScores.t, av = d.anomalyScores.v;
    for (var q = 0; q < at.length; q++) {
      if (av[q] !== null && av[q] >= 25 && byT[at[q]] !== undefined && byT[at[q]] !== null && at[q] >= t0) {
        el('circle', { cx: x(at[q]), cy: y(byT[at[q]]), r: 2.5 + av[q] / 40, 'class': 'anom' }, svg)
          .appendChild(el('title', {})).textContent = 'anomaly score ' + fmt(av[q]);
      }
    }
    return n;
  }

  function card(s) {
    var c = state.cards[s.id];
    if (!c) {
      var div = document.createElement('div');
      div.className = 'card';
      div.setAttribute('data-series', s.id);
      var h = document.createElement('h3');
      var meta = document.createElement('div');
      meta.className = 'meta';
      var svg = el('svg', { 'class': 'chart', viewBox: '0 0 ' + W + ' ' + H, preserveAspectRatio: 'none' });
      div.appendChild(h); div.appendChild(svg); div.appendChild(meta);
      document.getElementById('charts').appendChild(div);
      c = state.cards[s.id] = { div: div, h: h, meta: meta, svg: svg };
    }
    c.h.textContent = s.namespace + '/' + s.object + ' · ' + s.signal + (s.level === 'pod' ? ' (pod)' : '');
    c.div.className = 'card sev-' + s.severity;
    c.meta.innerHTML = '';
    var lines = [
      'observed <b>' + fmt(s.observed) + '</b> · forecast ' + fmt(s.forecast) + ' [' + fmt(s.lower80) + ', ' + fmt(s.upper80) + '] · served <b>' + fmt(s.served) + '</b> (by ' + esc(s.servedBy) + ')',
      'anomaly ' + fmt(s.anomalyScore) + ' (' + s.severity + ') · model ' + s.model + ' · error vs naive ' + fmt(s.relativeError),
      'data age ' + fmt(s.dataAgeSeconds) + ' s · history ' + s.historySize + ' points · refits ' + s.refits + (s.lastError ? ' · last error: ' + esc(s.lastError) : '')
    ];
    lines.forEach(function (l) { var p = document.createElement('div'); p.innerHTML = l; c.meta.appendChild(p); });
    if (s.window && s.window.state !== 'full') {
      // A partly covered rate window (Prometheus or scrape gap, new pod): not fed to the models.
      var pw = document.createElement('div');
      pw.className = 'partial';
      pw.textContent = (s.window.state === 'partial' ? 'partial window' : 'insufficient window') +
        ': ' + fmt(100 * s.window.coverage) + ' % covered, ' + s.window.samples + ' samples' +
        (s.window.state === 'partial' ? ' (rate over the covered span; not fed to the models)'
          : ' (last complete value kept up to maxAge)');
      c.meta.appendChild(pw);
    }
    if (s.fallback) {
      var f = document.createElement('div');
      f.className = 'fallback';
      f.textContent = 'serving the observed value: ' + s.fallback;
      c.meta.appendChild(f);
    }
    return getJson('metrics/' + s.id.split('/').map(encodeURIComponent).join('/')).then(function (d) {
      var n = draw(c.svg, d);
      c.svg.setAttribute('data-rendered', n);
    });
  }

  function refresh() {
    return getJson('metrics').then(function (o) {
      state.overview = o;
      var showPods = document.getElementById('show-pods').checked;
      document.getElementById('status').textContent = o.series.length + ' series · lead ' + o.leadSeconds +
        ' s (' + o.leadSteps + ' steps) · safety ' + o.safety + ' · models: ' + o.bootstrap.state.toLowerCase() +
        ' (' + o.bootstrap.detail + ') · refreshed ' + new Date(o.lastRefresh).toLocaleTimeString();
      var sel = document.getElementById('hpa-series');
      var chosen = sel.value;
      sel.innerHTML = '';
      o.series.forEach(function (s) {
        var opt = document.createElement('option');
        opt.value = s.id; opt.textContent = s.id;
        sel.appendChild(opt);
      });
      if (chosen) {
        sel.value = chosen;
      } else {
        var rps = o.series.filter(function (s) { return /\/kuma_rps$/.test(s.id); })[0];
        if (rps) { sel.value = rps.id; }
      }
      var wanted = o.series.filter(function (s) { return showPods || s.level !== 'pod'; });
      var keep = {};
      wanted.forEach(function (s) { keep[s.id] = true; });
      Object.keys(state.cards).forEach(function (id) {
        if (!keep[id]) { state.cards[id].div.remove(); delete state.cards[id]; }
      });
      return Promise.all(wanted.map(card));
    }).then(function () {
      document.body.setAttribute('data-loaded', 'true');
    }).catch(function (e) {
      document.getElementById('status').textContent = 'error: ' + e.message;
    });
  }

  function hpa(ev) {
    if (ev) { ev.preventDefault(); }
    var q = ['id', 'kind', 'target', 'current', 'min', 'max'].map(function (k) {
      var v = document.getElementById(k === 'id' ? 'hpa-series' : 'hpa-' + k).value;
      return k + '=' + encodeURIComponent(v);
    }).join('&');
    getJson('hpa?' + q).then(function (r) {
      document.getElementById('hpa-result').innerHTML =
        'on the observed value (' + fmt(r.observed.usage) + '): <b>' + r.observed.desired + '</b> replicas' +
        ' &nbsp;·&nbsp; on the prediction (' + fmt(r.predicted.usage) + '): <b>' + r.predicted.desired + '</b> replicas';
    }).catch(function (e) {
      document.getElementById('hpa-result').textContent = e.message;
    });
  }

  document.getElementById('hpa-form').addEventListener('submit', hpa);
  document.getElementById('show-pods').addEventListener('change', refresh);
  refresh().then(function () { if (state.overview && state.overview.series.length) { hpa(); } });
  setInterval(refresh, 5000);
})();
