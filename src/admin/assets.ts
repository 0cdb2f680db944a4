/**
 * The admin's stylesheet and script, served from `/admin/assets/` (no build step, no external
 * requests; the Content-Security-Policy allows scripts and styles from the admin itself only).
 * The script adds, on top of pages that work without it: the live checks and preview of the
 * answer editor, more source rows, confirmations, and the upload of translators' files.
 */

export const ADMIN_CSS = `
:root { --ink:#1d2b27; --muted:#5b6b66; --bg:#f6f4ef; --card:#fff; --line:#d9d4c7; --accent:#0b6e4f; --accent-ink:#fff;
  --ok:#1e7b45; --ok-bg:#dff3e6; --warn:#8a5a00; --warn-bg:#fff1cc; --bad:#a8261b; --bad-bg:#fde2de; --grey-bg:#eceae4; }
* { box-sizing:border-box; }
html { -webkit-text-size-adjust:100%; }
body { margin:0; font:16px/1.5 system-ui, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Arabic", "Geeza Pro", sans-serif; color:var(--ink); background:var(--bg); }
a { color:var(--accent); }
code { font:0.85em ui-monospace, SFMono-Regular, Menlo, monospace; background:var(--grey-bg); padding:0 .25em; border-radius:3px; }
h1 { font-size:1.45rem; margin:.4rem 0 .6rem; line-height:1.25; }
h1 small { font-size:.9rem; color:var(--muted); font-weight:normal; }
h2 { font-size:1.1rem; margin:1rem 0 .4rem; }
h3 { font-size:.95rem; margin:.6rem 0 .3rem; }
header.top { background:var(--accent); color:var(--accent-ink); padding:.5rem 1rem; display:flex; flex-wrap:wrap; gap:.4rem 1.2rem; align-items:center; }
header.top a { color:var(--accent-ink); }
.brand { font-weight:700; text-decoration:none; font-size:1.1rem; }
header nav { display:flex; flex-wrap:wrap; gap:.2rem .9rem; flex:1; }
header nav a { text-decoration:none; padding:.35rem 0; border-bottom:2px solid transparent; }
header nav a[aria-current] { border-bottom-color:#fff; font-weight:600; }
.count { background:#fff; color:var(--accent); border-radius:999px; padding:0 .45em; font-size:.8rem; font-weight:700; }
.side { display:flex; flex-wrap:wrap; gap:.3rem 1rem; align-items:center; font-size:.9rem; }
.account { display:flex; gap:.5rem; align-items:center; }
.langs { display:flex; gap:.6rem; }
.langs span[aria-current] { font-weight:700; text-decoration:underline; }
button.link { background:none; border:0; color:inherit; text-decoration:underline; padding:0; min-height:0; font:inherit; cursor:pointer; }
main { max-width:1400px; margin:0 auto; padding:.8rem 1rem 5rem; }
.lead { color:var(--muted); max-width:60rem; }
.hint { color:var(--muted); font-size:.85rem; margin:.15rem 0 .8rem; }
.small { font-size:.8rem; }
.crumbs { font-size:.85rem; color:var(--muted); margin:.2rem 0; }
.notice { padding:.6rem .8rem; border-radius:8px; margin:.6rem 0; }
.notice.ok { background:var(--ok-bg); color:var(--ok); }
.notice.info { background:#e6f0fa; color:#1d4d7a; }
.notice.error { background:var(--bad-bg); color:var(--bad); }
.empty { color:var(--muted); font-style:italic; }
.good { color:var(--ok); } .bad { color:var(--bad); }
.card { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:.8rem 1rem; margin:.8rem 0; }
.card header h2 { margin:.1rem 0; }
.meta { color:var(--muted); font-size:.85rem; margin:.2rem 0; }
.note { font-style:italic; }
label { display:block; font-weight:600; margin:.6rem 0 .2rem; }
label.check { font-weight:normal; display:flex; gap:.5rem; align-items:flex-start; margin:.25rem 0; }
input, select, textarea { font:inherit; font-size:16px; font-weight:normal; width:100%; padding:.55rem .65rem; border:1px solid #b9b3a5; border-radius:7px; background:#fff; color:var(--ink); margin-top:.2rem; }
input[type=checkbox], input[type=radio] { width:auto; margin-top:.3rem; }
textarea { line-height:1.45; resize:vertical; }
.has-error input, .has-error textarea, .has-error select { border-color:var(--bad); box-shadow:0 0 0 2px var(--bad-bg); }
.has-error > summary, .has-error > h2 { color:var(--bad); }
button, .button { font:inherit; min-height:44px; padding:.5rem 1rem; border-radius:8px; border:1px solid var(--accent); background:#fff; color:var(--accent); cursor:pointer; }
button.primary { background:var(--accent); color:var(--accent-ink); }
button.secondary { border-color:#8d877a; color:var(--ink); }
button.danger { border-color:var(--bad); color:var(--bad); }
button.small { min-height:36px; padding:.25rem .7rem; font-size:.9rem; }
form.inline { display:inline-flex; flex-wrap:wrap; gap:.4rem; align-items:center; margin:.2rem 0; max-width:100%; }
form.inline select, form.inline input { width:auto; max-width:100%; min-width:0; margin:0; }
form.inline select { flex:1 1 12rem; }
select { max-width:100%; }
.card, .issues li, .notice { overflow-wrap:anywhere; }
form.stack { display:block; }
fieldset { border:1px solid var(--line); border-radius:8px; margin:.6rem 0; padding:.3rem .8rem .6rem; }
legend { font-weight:600; padding:0 .3rem; }
.row { display:grid; grid-template-columns:1fr; gap:0 1rem; }
@media (min-width:600px) { .row { grid-template-columns:1fr 1fr; } }
.actions { display:flex; flex-wrap:wrap; gap:.5rem; align-items:center; margin:.8rem 0; }
.actions.sticky { position:sticky; bottom:0; background:var(--bg); padding:.6rem 0; border-top:1px solid var(--line); z-index:2; }
.actions.sticky label { margin:0; flex:1 1 14rem; font-weight:normal; }
.summary { padding-inline-start:1.2rem; margin:.3rem 0 .8rem; font-size:.9rem; }
.legend dl { display:grid; grid-template-columns:max-content 1fr; gap:.3rem .8rem; align-items:center; font-size:.9rem; }
.legend dd { margin:0; }
.scroll { overflow-x:auto; -webkit-overflow-scrolling:touch; border:1px solid var(--line); border-radius:10px; background:var(--card); }
table { border-collapse:collapse; width:100%; }
th, td { padding:.35rem .5rem; border-bottom:1px solid #eee; text-align:start; vertical-align:top; }
table.matrix th[scope=row] { position:sticky; inset-inline-start:0; background:var(--card); min-width:11rem; max-width:18rem; font-weight:normal; z-index:1; }
table.matrix th[scope=row] code { display:block; font-size:.72rem; color:var(--muted); background:none; padding:0; }
.topic-title { font-weight:600; }
tr.cat th { background:var(--grey-bg); font-size:.85rem; text-transform:uppercase; letter-spacing:.03em; position:sticky; inset-inline-start:0; }
.cell { display:flex; flex-direction:column; gap:.15rem; min-width:6.5rem; padding:.3rem .45rem; border-radius:7px; text-decoration:none; color:var(--ink); border:1px solid transparent; }
a.cell:hover, a.cell:focus { outline:2px solid var(--accent); }
.cell .status { font-weight:600; font-size:.85rem; }
.s-published { background:var(--ok-bg); }
.s-needs-verification { background:var(--warn-bg); }
.s-draft { background:var(--grey-bg); }
.s-missing { background:#fff; border:1px dashed var(--bad); color:var(--bad); }
.flag { display:inline-block; font-size:.72rem; border-radius:4px; padding:0 .35em; font-weight:600; width:max-content; }
.flag.stale { background:#ffd8b5; color:#7a3600; }
.flag.overdue { background:#e9dcff; color:#4b2a86; }
.flag.pending { background:#d6e8ff; color:#1d4d7a; }
.flag.live { background:var(--ok-bg); color:var(--ok); }
.langtabs { display:flex; flex-wrap:wrap; gap:.3rem .9rem; margin:.2rem 0 .6rem; }
.editor { display:grid; grid-template-columns:minmax(0,1fr); gap:1rem; }
@media (min-width:980px) { .editor { grid-template-columns:minmax(0,3fr) minmax(0,2fr); } .side-panel { position:sticky; top:.5rem; align-self:start; max-height:calc(100vh - 1rem); overflow:auto; } }
.source-row { display:grid; grid-template-columns:1fr; gap:0 .8rem; }
@media (min-width:700px) { .source-row { grid-template-columns:2fr 1fr 2fr; } .source-row legend { grid-column:1 / -1; } }
.source-row label { font-weight:normal; margin:.2rem 0; font-size:.85rem; }
@media (min-width:700px) { .source-row { align-items:end; } }
.checks { columns:16rem; column-gap:1rem; margin:.4rem 0; }
.checks label { break-inside:avoid; }
details > summary { cursor:pointer; font-weight:600; padding:.3rem 0; }
.source-text { background:#f1f6f4; border-radius:8px; padding:.3rem .8rem; margin:.5rem 0; }
.pre { white-space:pre-wrap; }
.issues { list-style:none; padding:0; margin:.3rem 0; }
.issues li { padding:.4rem .6rem; border-radius:6px; margin:.25rem 0; font-size:.9rem; }
.issues li.error { background:var(--bad-bg); color:var(--bad); }
.issues li.warning { background:var(--warn-bg); color:var(--warn); }
.issues li.ok { background:var(--ok-bg); color:var(--ok); }
.field-name { font-weight:600; }
.preview h3 { margin:.8rem 0 .2rem; font-size:.85rem; color:var(--muted); text-transform:uppercase; letter-spacing:.04em; }
.bubble { white-space:pre-wrap; overflow-wrap:anywhere; padding:.6rem .75rem; border-radius:10px; font-size:.92rem; max-height:28rem; overflow:auto; box-shadow:0 1px 1px #0002; }
.wa .bubble { background:#dcf8c6; }
.tg .bubble { background:#fff; border-inline-start:4px solid #2aabee; }
.sms .bubble { background:#e9e9eb; font-family:ui-monospace, Menlo, monospace; font-size:.85rem; }
.sms-meta { font-size:.85rem; margin:.3rem 0; }
.sms-meta.over { color:var(--bad); font-weight:700; }
.diff { font:.82rem/1.45 ui-monospace, Menlo, monospace; background:#fafafa; border:1px solid #eee; border-radius:6px; overflow-x:auto; padding:.3rem 0; }
.diff div { white-space:pre-wrap; padding:0 .5rem; overflow-wrap:anywhere; }
.diff .add { background:#e6ffec; } .diff .del { background:#ffebe9; } .diff .fold { color:var(--muted); font-style:italic; }
.sign { display:inline-block; width:1.2em; color:var(--muted); user-select:none; }
.field-diff .before, .field-diff .after { white-space:pre-wrap; padding:.35rem .55rem; border-radius:6px; margin:.2rem 0; font-size:.9rem; }
.field-diff .before { background:#ffebe9; } .field-diff .after { background:#e6ffec; }
.phrases { list-style:none; padding:0; columns:22rem; column-gap:1.5rem; }
.phrases li { break-inside:avoid; border-bottom:1px solid #eee; }
.missed { list-style:none; padding:0; }
.missed li { border-top:1px solid #eee; padding:.4rem 0; }
.missed li p { margin:.1rem 0; }
section.login { max-width:24rem; margin:2rem auto; background:var(--card); padding:1rem 1.2rem; border-radius:12px; border:1px solid var(--line); }
section.login button { width:100%; margin-top:1rem; }
table.users form.inline { margin:.15rem 0; }
@media (max-width:599px) { main { padding:.6rem .6rem 5rem; } h1 { font-size:1.25rem; } .cell { min-width:5.5rem; } }
/* A phone: the header shrinks to two short lines (the menu scrolls sideways), the save bar to one
   row of buttons, and the answer's text box fills the screen once scrolled to, so the editing area
   gets most of a 640 px screen. */
@media (max-width:599px) {
  header.top { padding:.25rem .6rem; gap:0 .8rem; }
  .brand { font-size:1rem; }
  header nav { order:3; flex:1 0 100%; flex-wrap:nowrap; overflow-x:auto; gap:0 .9rem; scrollbar-width:none; }
  header nav a { white-space:nowrap; padding:.3rem 0; }
  .side { font-size:.8rem; gap:0 .8rem; }
  .actions.sticky { flex-wrap:nowrap; padding:.35rem 0; margin:.4rem 0; gap:.4rem; }
  .actions.sticky button { flex:1 1 0; min-width:0; padding:.4rem .5rem; font-size:.9rem; line-height:1.2; }
  textarea[name=body] { height:calc(100svh - 7.5rem); min-height:16rem; }
}
`;

export const ADMIN_JS = `
(function () {
  'use strict';
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute('content') : '';

  // Bold markup (*text*) as the chat apps show it, built as DOM nodes (never innerHTML).
  function setRich(el, text) {
    el.textContent = '';
    var parts = String(text).split(/\\*([^*\\n]+)\\*/);
    for (var i = 0; i < parts.length; i++) {
      if (i % 2 === 1) { var b = document.createElement('b'); b.textContent = parts[i]; el.appendChild(b); }
      else if (parts[i]) el.appendChild(document.createTextNode(parts[i]));
    }
  }
  Array.prototype.forEach.call(document.querySelectorAll('[data-markup="bold"]'), function (el) { setRich(el, el.textContent); });

  // Confirmations: on a form, or on the button that submits it.
  document.addEventListener('submit', function (e) {
    var form = e.target;
    var btn = e.submitter;
    var q = (btn && btn.getAttribute('data-confirm')) || form.getAttribute('data-confirm');
    if (q && !window.confirm(q)) e.preventDefault();
  }, true);

  // More source rows.
  var add = document.querySelector('[data-add-source]');
  if (add) add.addEventListener('click', function () {
    var tpl = document.getElementById('source-template');
    var box = document.getElementById('sources');
    var node = tpl.content.firstElementChild.cloneNode(true);
    var n = box.children.length + 1;
    var legend = node.querySelector('legend');
    if (legend) legend.textContent = legend.textContent.replace(/\\d+/, String(n));
    box.appendChild(node);
    var first = node.querySelector('input');
    if (first) first.focus();
  });

  // Live checks and preview of the answer editor.
  var form = document.getElementById('answer-form');
  if (form && window.fetch) {
    var timer = null, seq = 0;
    var collect = function () {
      var data = {};
      new FormData(form).forEach(function (v, k) {
        if (k === '_csrf' || k === 'action' || typeof v !== 'string') return;
        if (k === 'source_title' || k === 'source_ref' || k === 'source_url' || k === 'related' || k === 'organisations') (data[k] = data[k] || []).push(v);
        else data[k] = v;
      });
      return data;
    };
    var show = function (res) {
      var list = document.getElementById('issues');
      list.textContent = '';
      var bad = {};
      if (!res.issues.length) { var ok = document.createElement('li'); ok.className = 'ok'; ok.textContent = res.noIssues; list.appendChild(ok); }
      res.issues.forEach(function (i) {
        var li = document.createElement('li');
        li.className = i.severity;
        var b = document.createElement('b'); b.textContent = i.label + ' '; li.appendChild(b);
        if (i.fieldLabel) { var f = document.createElement('span'); f.className = 'field-name'; f.textContent = i.fieldLabel + ': '; li.appendChild(f); }
        li.appendChild(document.createTextNode(i.message));
        list.appendChild(li);
        if (i.severity === 'error' && i.field) bad[i.field] = true;
      });
      Array.prototype.forEach.call(form.querySelectorAll('[data-field]'), function (el) {
        el.classList.toggle('has-error', !!bad[el.getAttribute('data-field')]);
      });
      var p = res.preview;
      setRich(document.getElementById('pv-whatsapp'), p.whatsapp.text);
      setRich(document.getElementById('pv-telegram'), p.telegram.text);
      document.getElementById('pv-sms').textContent = p.sms.text;
      var m = document.getElementById('pv-sms-meta');
      m.textContent = m.getAttribute('data-label').replace('{encoding}', p.sms.encoding).replace('{segments}', p.sms.segments)
        .replace('{chars}', p.sms.chars).replace('{budget}', res.budget);
      m.classList.toggle('over', p.sms.segments > res.budget);
      form.setAttribute('data-checked', String(seq));
    };
    var check = function () {
      var mine = ++seq;
      fetch(form.getAttribute('data-check'), {
        method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify(collect())
      }).then(function (r) { return r.ok ? r.json() : null; })
        .then(function (res) { if (res && mine === seq) show(res); })
        .catch(function () {});
    };
    var later = function () { clearTimeout(timer); timer = setTimeout(check, 350); };
    form.addEventListener('input', later);
    form.addEventListener('change', later);
  }

  // Translators' files: sent as they are (CSV or XLSX), then the preview page opens.
  var imp = document.getElementById('import-form');
  if (imp && window.fetch && window.FileReader) {
    imp.addEventListener('submit', function (e) {
      e.preventDefault();
      var file = imp.querySelector('input[type=file]').files[0];
      var lang = imp.querySelector('select[name=lang]').value;
      var err = document.getElementById('import-error');
      if (!file) return;
      file.arrayBuffer().then(function (buf) {
        return fetch(imp.getAttribute('action') + '?lang=' + encodeURIComponent(lang), {
          method: 'POST', credentials: 'same-origin',
          headers: { 'Content-Type': 'application/octet-stream', 'x-csrf-token': csrf, 'Accept': 'application/json' },
          body: buf
        });
      }).then(function (r) { return r.json(); }).then(function (j) {
        if (j.location) { window.location.href = j.location; return; }
        err.hidden = false; err.textContent = j.error || 'error';
      }).catch(function () { err.hidden = false; err.textContent = 'error'; });
    });
  }
})();
`;
