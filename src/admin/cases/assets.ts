/**
 * The inbox's own script and styles, served from `/admin/assets/cases.js` and added to the
 * admin's stylesheet (no inline script: the Content-Security-Policy allows the admin's own files
 * only). The script keeps `#live` current: it listens to the server-sent events and, when they
 * are not available (or broke), polls a fingerprint of the cases every few seconds; on a change it
 * fetches the live part again and swaps it in, built by the browser's parser from the server's
 * escaped HTML. It also inserts a chosen answer or contact into the reply box.
 */

export const CASES_JS = `
(function () {
  'use strict';
  var live = document.getElementById('live');
  var state = document.getElementById('live-state');

  // Insert the chosen answer or contact at the cursor of the reply box.
  var insert = document.querySelector('[data-insert-into]');
  if (insert) insert.addEventListener('change', function () {
    var box = document.getElementById(insert.getAttribute('data-insert-into'));
    var text = insert.value;
    if (!box || !text) return;
    var start = box.selectionStart || 0, end = box.selectionEnd || 0, v = box.value;
    var before = v.slice(0, start), after = v.slice(end);
    var sep = before && !/\\n$/.test(before) ? '\\n' : '';
    box.value = before + sep + text + after;
    var at = (before + sep + text).length;
    box.focus();
    box.setSelectionRange(at, at);
    insert.value = '';
  });

  if (!live || !window.fetch) return;
  var ref = live.getAttribute('data-ref');
  var busy = false, again = false, last = null;
  var show = function (on) {
    if (!state) return;
    state.textContent = state.getAttribute(on ? 'data-on' : 'data-off');
    state.setAttribute('data-live', on ? 'on' : 'off');
  };
  var refresh = function () {
    if (busy) { again = true; return; }
    busy = true;
    fetch(live.getAttribute('data-refresh'), { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
      .then(function (r) {
        if (r.status === 404 || r.status === 401) { window.location.reload(); return null; }
        return r.ok ? r.text() : null;
      })
      .then(function (text) {
        if (text === null) return;
        var doc = new DOMParser().parseFromString('<div>' + text + '</div>', 'text/html');
        var box = doc.body.firstElementChild;
        var nodes = [];
        while (box.firstChild) nodes.push(box.removeChild(box.firstChild));
        live.replaceChildren.apply(live, nodes);
        live.setAttribute('data-updated', String(Date.now()));
      })
      .catch(function () {})
      .then(function () { busy = false; if (again) { again = false; refresh(); } });
  };
  var poll = function () {
    fetch(live.getAttribute('data-poll'), { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (j) {
        if (!j) return;
        if (last !== null && j.v !== last) refresh();
        last = j.v;
      })
      .catch(function () {});
  };
  var timer = null;
  var polling = function (ms) { clearInterval(timer); timer = setInterval(poll, ms); };
  poll();
  polling(15000);
  if (window.EventSource) {
    var es = new EventSource(live.getAttribute('data-events'));
    es.addEventListener('open', function () { show(true); polling(15000); });
    es.addEventListener('error', function () { show(false); polling(4000); });
    es.addEventListener('case', function (e) {
      var data = {};
      try { data = JSON.parse(e.data); } catch (err) { return; }
      if (!ref || data.ref === ref) refresh();
    });
  } else {
    show(false);
    polling(4000);
  }
})();
`;

export const CASES_CSS = `
.cases { list-style:none; padding:0; margin:.6rem 0; display:grid; gap:.6rem; grid-template-columns:repeat(auto-fill, minmax(17rem, 1fr)); }
.case-card a { display:flex; flex-direction:column; gap:.15rem; min-height:44px; padding:.7rem .9rem; border:1px solid var(--line); border-inline-start-width:6px; border-radius:10px; background:var(--card); color:var(--ink); text-decoration:none; }
.case-card a:focus, .case-card a:hover { outline:2px solid var(--accent); }
.case-card .ref { font:600 .85rem ui-monospace, Menlo, monospace; color:var(--muted); }
.case-card .topic { font-weight:600; }
.sla-green a, .case-head.sla-green { border-inline-start-color:var(--ok); }
.sla-amber a, .case-head.sla-amber { border-inline-start-color:#d99400; }
.sla-red a, .case-head.sla-red { border-inline-start-color:var(--bad); }
.case-head { border-inline-start:6px solid var(--line); }
.sla-green .sla { color:var(--ok); } .sla-amber .sla { color:var(--warn); } .sla-red .sla { color:var(--bad); font-weight:700; }
.sla-dot { display:inline-block; width:.8em; height:.8em; border-radius:50%; vertical-align:middle; }
.sla-dot.sla-green { background:var(--ok); } .sla-dot.sla-amber { background:#d99400; } .sla-dot.sla-red { background:var(--bad); }
.flag.urgent { background:var(--bad); color:#fff; }
.case-card.urgent a { box-shadow:0 0 0 2px var(--bad-bg); }
.facts { display:grid; grid-template-columns:max-content 1fr; gap:.2rem .8rem; margin:.4rem 0; font-size:.92rem; }
.facts dd { margin:0; }
.messages { list-style:none; padding:0; margin:.4rem 0; display:flex; flex-direction:column; gap:.5rem; }
.msg { max-width:44rem; padding:.5rem .75rem; border-radius:10px; background:var(--card); border:1px solid var(--line); overflow-wrap:anywhere; }
.msg p { margin:.1rem 0; }
.msg.from-user { align-self:flex-start; }
.msg.from-worker { align-self:flex-end; background:#e6f2ee; }
.msg.from-system { align-self:center; background:var(--grey-bg); font-size:.9rem; }
.delivery { font-weight:600; } .d-sent { color:var(--ok); } .d-queued { color:var(--warn); } .d-failed { color:var(--bad); }
.live-state[data-live=on]::before { content:"● "; color:var(--ok); }
.live-state[data-live=off]::before { content:"● "; color:var(--warn); }
.field-error { margin:.2rem 0; font-size:.9rem; }
.hours-row label { font-weight:normal; }
#insert, #to, #outcome, #reason { min-height:44px; }
@media (max-width:599px) {
  .cases { grid-template-columns:1fr; }
  .msg { max-width:92%; }
  .actions button, form.stack button, #claim { width:100%; min-height:48px; }
  .facts { grid-template-columns:1fr; } .facts dt { font-weight:600; }
}
`;
