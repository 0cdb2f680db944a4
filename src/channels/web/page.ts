/**
 * The local web chat page served at `/`. Plain HTML and script, no build step, no external
 * requests. Each bot reply shows how it renders on SMS (encoding, segments), WhatsApp and Telegram.
 */
export const CHAT_PAGE = `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dalil</title>
<style>
  :root { --bg:#f4f1ea; --bot:#fff; --me:#d9f2e6; --ink:#1d2b27; --muted:#5b6b66; --accent:#0b6e4f; }
  * { box-sizing: border-box; }
  body { margin:0; font:16px/1.45 system-ui, "Segoe UI", "Noto Sans Arabic", sans-serif; color:var(--ink); background:var(--bg); }
  header { background:var(--accent); color:#fff; padding:.7rem 1rem; display:flex; gap:1rem; align-items:center; }
  header h1 { font-size:1.2rem; margin:0; }
  header p { margin:0; font-size:.85rem; opacity:.9; flex:1; }
  header button { background:transparent; color:#fff; border:1px solid #fff8; border-radius:6px; padding:.3rem .6rem; cursor:pointer; }
  main { max-width:760px; margin:0 auto; padding:1rem 1rem 7rem; }
  .msg { margin:.5rem 0; padding:.6rem .8rem; border-radius:10px; max-width:92%; white-space:pre-wrap; word-wrap:break-word; }
  .me { background:var(--me); margin-inline-start:auto; }
  .bot { background:var(--bot); box-shadow:0 1px 2px #0002; }
  .bot.urgent { border-inline-start:5px solid #c0392b; }
  .choices { display:flex; flex-wrap:wrap; gap:.4rem; margin-top:.5rem; white-space:normal; }
  .choices button { border:1px solid var(--accent); color:var(--accent); background:#fff; border-radius:16px; padding:.25rem .7rem; cursor:pointer; font:inherit; font-size:.9rem; }
  .links a { display:block; font-size:.85rem; color:var(--accent); }
  details { margin-top:.4rem; font-size:.8rem; color:var(--muted); white-space:normal; }
  details pre { white-space:pre-wrap; background:#f7f7f7; padding:.5rem; border-radius:6px; margin:.3rem 0; font:12px/1.4 ui-monospace, monospace; }
  .tag { display:inline-block; background:#eee; border-radius:4px; padding:0 .3rem; margin-inline-end:.3rem; }
  .tag.over { background:#fbd5d0; }
  form { position:fixed; bottom:0; left:0; right:0; background:#fff; border-top:1px solid #ddd; padding:.6rem; display:flex; gap:.5rem; justify-content:center; }
  form input { flex:1; max-width:640px; font:inherit; padding:.6rem .8rem; border:1px solid #bbb; border-radius:8px; }
  form button { font:inherit; padding:.6rem 1rem; background:var(--accent); color:#fff; border:0; border-radius:8px; cursor:pointer; }
  .error { color:#a33; }
</style>
</head>
<body>
<header>
  <h1>Dalil · دليل</h1>
  <p>Informations sur vos droits au Maroc · Your rights in Morocco · حقوقك في المغرب · Tus derechos en Marruecos</p>
  <button id="reset" type="button" title="Start a new conversation">↺</button>
</header>
<main id="log" aria-live="polite"></main>
<form id="f" autocomplete="off">
  <input id="t" name="t" placeholder="Écrivez ici · Type here · اكتب هنا · Escribe aquí" aria-label="Message" maxlength="2000">
  <button type="submit">➤</button>
</form>
<script>
(function () {
  var log = document.getElementById('log');
  var input = document.getElementById('t');
  function newId() {
    var a = new Uint8Array(12); crypto.getRandomValues(a);
    return Array.from(a, function (b) { return b.toString(16).padStart(2, '0'); }).join('');
  }
  var user = localStorage.getItem('dalil.user') || newId();
  localStorage.setItem('dalil.user', user);
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = text; return e; }
  function scroll() { window.scrollTo(0, document.body.scrollHeight); }
  function preview(p) {
    var d = el('details');
    d.appendChild(el('summary', null, 'SMS · WhatsApp · Telegram'));
    var sms = el('div');
    var tag = el('span', 'tag' + (p.sms.segments > 3 ? ' over' : ''), 'SMS ' + p.sms.encoding + ' · ' + p.sms.segments + ' segment(s) · ' + p.sms.chars + ' chars');
    sms.appendChild(tag); d.appendChild(sms); d.appendChild(el('pre', null, p.sms.text));
    d.appendChild(el('span', 'tag', 'WhatsApp')); d.appendChild(el('pre', null, p.whatsapp.text));
    d.appendChild(el('span', 'tag', 'Telegram')); d.appendChild(el('pre', null, p.telegram.text + (p.telegram.buttons.length ? '\\n[ ' + p.telegram.buttons.join(' ] [ ') + ' ]' : '')));
    return d;
  }
  function show(r) {
    var m = el('div', 'msg bot ' + r.kind, r.text);
    m.dir = r.dir; m.lang = r.lang;
    if (r.choices.length) {
      var c = el('div', 'choices');
      r.choices.forEach(function (ch, i) {
        var b = el('button', null, (i + 1) + '. ' + ch.label);
        b.type = 'button';
        b.onclick = function () { send({ choice: ch.id }, ch.label); };
        c.appendChild(b);
      });
      m.appendChild(c);
    }
    if (r.links.length) {
      var l = el('div', 'links');
      r.links.forEach(function (k) { var a = el('a', null, k.title); a.href = k.url; a.target = '_blank'; a.rel = 'noopener noreferrer'; l.appendChild(a); });
      m.appendChild(l);
    }
    if (r.preview) m.appendChild(preview(r.preview));
    log.appendChild(m);
  }
  function send(payload, echo) {
    var me = el('div', 'msg me', echo); me.dir = 'auto'; log.appendChild(me); scroll();
    payload.user = user; payload.preview = true; payload.id = newId();
    fetch('/api/chat', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload) })
      .then(function (res) { return res.json().then(function (j) { return { ok: res.ok, j: j }; }); })
      .then(function (x) {
        if (!x.ok) { log.appendChild(el('div', 'msg bot error', x.j.error || 'error')); return; }
        if (x.j.lang) document.documentElement.lang = x.j.lang;
        x.j.replies.forEach(show); scroll();
      })
      .catch(function () { log.appendChild(el('div', 'msg bot error', 'Connexion impossible · Connection failed · تعذر الاتصال · Sin conexión')); });
  }
  document.getElementById('f').onsubmit = function (e) {
    e.preventDefault();
    var text = input.value.trim(); if (!text) return;
    input.value = ''; send({ text: text }, text);
  };
  document.getElementById('reset').onclick = function () {
    user = newId(); localStorage.setItem('dalil.user', user); log.textContent = ''; input.focus();
  };
  input.focus();
})();
</script>
</body>
</html>
`;
