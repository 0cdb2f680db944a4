/**
 * The web chat page served at `/`: one HTML document with its style and script inline (no build
 * step, no external request, one round trip on a slow phone). The router hashes `CHAT_CSS` and
 * `CHAT_JS` into the page's Content-Security-Policy, so nothing else can run on it.
 *
 * What the page does for a person on a cheap phone: a welcome and a language choice before the
 * first message; an urgent reply shown first, in red, every number a `tel:` link, kept reachable
 * in a strip at the top; answers that lead with their short form (the full one behind "read
 * more"), with the content's `*bold*` and lists rendered and sources listed once; a typing line,
 * the input disabled while a reply is on its way and a retry when it fails. Channel previews
 * (SMS, WhatsApp, Telegram) are shown, and asked for, only with `?preview=1` (editors).
 */

/** Interface strings of the page, per language (the page's own; answers come from the API). */
export const CHAT_STRINGS = {
  fr: {
    tagline: 'Vos droits au Maroc', placeholder: 'Écrivez votre question ici', send: 'Envoyer', message: 'Votre message',
    reset: 'Nouvelle conversation', log: 'Conversation', typing: 'Dalil écrit…', failed: 'Le message n’est pas parti. Vérifiez la connexion.',
    retry: 'Réessayer', more: 'Lire la réponse complète', less: 'Réduire', sources: 'Sources', call: 'Appeler le', urgent: 'Urgence',
    choose: 'Choisissez votre langue', welcome: 'Bonjour, je suis Dalil. Je donne des informations gratuites sur vos droits au Maroc. Choisissez une langue ou écrivez votre question.',
    fromOrg: 'Message de l’organisation',
  },
  en: {
    tagline: 'Your rights in Morocco', placeholder: 'Type your question here', send: 'Send', message: 'Your message',
    reset: 'New conversation', log: 'Conversation', typing: 'Dalil is writing…', failed: 'The message was not sent. Check your connection.',
    retry: 'Try again', more: 'Read the full answer', less: 'Show less', sources: 'Sources', call: 'Call', urgent: 'Emergency',
    choose: 'Choose your language', welcome: 'Hello, I am Dalil. I give free information about your rights in Morocco. Choose a language or type your question.',
    fromOrg: 'Message from the organisation',
  },
  ar: {
    tagline: 'حقوقك في المغرب', placeholder: 'اكتب سؤالك هنا', send: 'إرسال', message: 'رسالتك',
    reset: 'محادثة جديدة', log: 'المحادثة', typing: 'دليل يكتب…', failed: 'لم تُرسل الرسالة. تحقق من الاتصال.',
    retry: 'أعد المحاولة', more: 'اقرأ الجواب كاملًا', less: 'إخفاء', sources: 'المصادر', call: 'اتصل بـ', urgent: 'طوارئ',
    choose: 'اختر لغتك', welcome: 'مرحبًا، أنا دليل. أقدم معلومات مجانية عن حقوقك في المغرب. اختر لغة أو اكتب سؤالك.',
    fromOrg: 'رسالة من المنظمة',
  },
  es: {
    tagline: 'Tus derechos en Marruecos', placeholder: 'Escribe tu pregunta aquí', send: 'Enviar', message: 'Tu mensaje',
    reset: 'Nueva conversación', log: 'Conversación', typing: 'Dalil está escribiendo…', failed: 'El mensaje no se envió. Revisa la conexión.',
    retry: 'Reintentar', more: 'Leer la respuesta completa', less: 'Mostrar menos', sources: 'Fuentes', call: 'Llamar al', urgent: 'Urgencia',
    choose: 'Elige tu idioma', welcome: 'Hola, soy Dalil. Doy información gratuita sobre tus derechos en Marruecos. Elige un idioma o escribe tu pregunta.',
    fromOrg: 'Mensaje de la organización',
  },
} as const;

/** Each language's name in itself, for the language buttons. */
const NATIVE = { fr: 'Français', en: 'English', ar: 'العربية', es: 'Español' } as const;

/** The favicon (an SVG served at /favicon.svg and /favicon.ico). */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#0b6e4f"/><path d="M18 14h14a18 18 0 0 1 0 36H18z" fill="#fff"/><path d="M26 22h6a10 10 0 0 1 0 20h-6z" fill="#0b6e4f"/></svg>';

export const CHAT_CSS = `
:root { --bg:#f4f1ea; --bot:#fff; --me:#d9f2e6; --ink:#1d2b27; --muted:#4d5c57; --accent:#0b6e4f; --red:#b3261e; }
* { box-sizing:border-box; }
body { margin:0; font:16px/1.5 system-ui, "Segoe UI", "Noto Sans Arabic", sans-serif; color:var(--ink); background:var(--bg); }
.top { position:sticky; top:0; z-index:2; }
header { background:var(--accent); color:#fff; padding:.35rem .75rem; display:flex; gap:.6rem; align-items:center; }
header h1 { font-size:1.1rem; margin:0; }
header p { margin:0; font-size:.85rem; flex:1; }
header button { min-width:44px; min-height:44px; background:transparent; color:#fff; border:1px solid #fff9; border-radius:8px; font:inherit; font-size:1.2rem; cursor:pointer; }
#sos { display:none; background:var(--red); color:#fff; padding:.2rem .5rem; gap:.35rem; align-items:center; flex-wrap:wrap; font-weight:600; font-size:.9rem; }
#sos.on { display:flex; }
#sos a { color:#fff; background:#0003; border:1px solid #fff8; border-radius:8px; min-height:44px; min-width:44px; padding:0 .5rem; display:inline-flex; align-items:center; justify-content:center; text-decoration:none; font-size:1.05rem; }
main { max-width:760px; margin:0 auto; padding:.75rem .75rem 6rem; }
.msg { margin:.5rem 0; padding:.6rem .8rem; border-radius:12px; max-width:94%; overflow-wrap:anywhere; }
.msg p { margin:0 0 .5rem; } .msg p:last-child { margin-bottom:0; }
.msg ul { margin:0 0 .5rem; padding-inline-start:1.2rem; }
.me { background:var(--me); margin-inline-start:auto; white-space:pre-wrap; }
.bot { background:var(--bot); box-shadow:0 1px 2px #0002; }
.bot.org { border-inline-start:4px solid var(--accent); }
.bot.org .from { font-size:.8rem; color:var(--muted); margin-bottom:.2rem; }
.bot.urgent { background:#fdecea; border:3px solid var(--red); max-width:100%; }
.bot.urgent .call { display:flex; align-items:center; gap:.5rem; min-height:48px; margin:.4rem 0; padding:.4rem .8rem; background:var(--red); color:#fff; border-radius:10px; font-weight:700; font-size:1.05rem; text-decoration:none; }
a[href^="tel:"] { font-weight:700; }
.welcome h2, .bot h2.title { font-size:1.05rem; margin:.2rem 0 .5rem; }
.welcome p { margin:.25rem 0; }
.choices { display:flex; flex-wrap:wrap; gap:.4rem; margin-top:.5rem; }
button.choice, button.more, button.retry { min-height:44px; border:1px solid var(--accent); color:var(--accent); background:#fff; border-radius:22px; padding:.3rem .9rem; cursor:pointer; font:inherit; font-size:.95rem; text-align:start; }
button.more { margin-top:.4rem; border-radius:10px; }
.full { margin-top:.6rem; border-top:1px solid #ddd; padding-top:.6rem; }
.links { margin-top:.4rem; font-size:.9rem; } .links a { display:block; color:var(--accent); padding:.3rem 0; }
.typing { color:var(--muted); font-style:italic; }
.error { color:var(--red); }
details.pv { margin-top:.4rem; font-size:.8rem; color:var(--muted); }
details.pv pre { white-space:pre-wrap; background:#f7f7f7; padding:.5rem; border-radius:6px; margin:.3rem 0; font:12px/1.4 ui-monospace, monospace; }
.tag { display:inline-block; background:#eee; border-radius:4px; padding:0 .3rem; } .tag.over { background:#fbd5d0; }
form { position:fixed; bottom:0; left:0; right:0; background:#fff; border-top:1px solid #ccc; padding:.5rem; display:flex; gap:.5rem; justify-content:center; }
form input { flex:1; max-width:640px; min-height:44px; font:inherit; padding:.5rem .8rem; border:1px solid #888; border-radius:8px; }
form button { min-width:48px; min-height:44px; font:inherit; padding:.5rem 1rem; background:var(--accent); color:#fff; border:0; border-radius:8px; cursor:pointer; }
form :disabled { opacity:.55; cursor:wait; }
:focus-visible { outline:3px solid #f2a900; outline-offset:2px; }
`;

export const CHAT_JS = `
(function () {
  var S = ${JSON.stringify(CHAT_STRINGS)};
  var NATIVE = ${JSON.stringify(NATIVE)};
  var ORDER = ['fr', 'en', 'ar', 'es'];
  var log = document.getElementById('log'), input = document.getElementById('t'), sendBtn = document.getElementById('send');
  var sos = document.getElementById('sos'), resetBtn = document.getElementById('reset');
  var previewMode = /[?&]preview=1(&|$)/.test(location.search);
  var busy = false;
  function newId() {
    var a = new Uint8Array(12); crypto.getRandomValues(a);
    return Array.from(a, function (b) { return b.toString(16).padStart(2, '0'); }).join('');
  }
  function stored(k) { try { return localStorage.getItem(k); } catch (e) { return null; } }
  function store(k, v) { try { localStorage.setItem(k, v); } catch (e) { /* private mode: keep it in memory */ } }
  var user = stored('dalil.user') || newId(); store('dalil.user', user);
  var nav = (navigator.language || 'fr').slice(0, 2);
  var asked = /[?&]lang=(fr|en|ar|es)(&|$)/.exec(location.search);
  var lang = (asked && asked[1]) || stored('dalil.lang') || (S[nav] ? nav : 'fr');
  function t(k) { return (S[lang] || S.fr)[k]; }
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = text; return e; }

  function setLang(l) {
    if (!S[l]) return;
    lang = l; store('dalil.lang', l);
    document.documentElement.lang = l; document.documentElement.dir = l === 'ar' ? 'rtl' : 'ltr';
    document.getElementById('tagline').textContent = t('tagline');
    input.placeholder = t('placeholder'); input.setAttribute('aria-label', t('message'));
    sendBtn.setAttribute('aria-label', t('send')); sendBtn.title = t('send');
    resetBtn.setAttribute('aria-label', t('reset')); resetBtn.title = t('reset');
    log.setAttribute('aria-label', t('log'));
    sos.setAttribute('aria-label', t('urgent'));
    var head = sos.querySelector('span'); if (head) head.textContent = t('urgent');
  }

  // Phone numbers: long ones anywhere; short ones (15, 19, 177, 2511) in an urgent reply, in bold or in brackets.
  var LONG = /(\\+?\\d[\\d .-]{6,}\\d)/;
  function telOf(s) { return 'tel:' + s.replace(/[^+\\d]/g, ''); }
  function isShort(n) { var v = +n; return n.length >= 2 && n.length <= 4 && !(n.length === 4 && v >= 1900 && v <= 2099); }
  function tel(num, label) { var a = el('a', null, num); a.href = telOf(num); a.setAttribute('aria-label', t('call') + ' ' + (label || num)); return a; }
  function addText(parent, s, urgent, links) {
    // Source titles become links where the text names them (sources are listed once).
    for (var i = 0; i < links.length; i++) {
      var at = links[i].title ? s.indexOf(links[i].title) : -1;
      if (at >= 0) {
        addText(parent, s.slice(0, at), urgent, links);
        var a = el('a', null, links[i].title); a.href = links[i].url; a.target = '_blank'; a.rel = 'noopener noreferrer'; links[i].used = true;
        parent.appendChild(a);
        addText(parent, s.slice(at + links[i].title.length), urgent, links);
        return;
      }
    }
    var m = LONG.exec(s) || (urgent ? /(^|[^\\d])(\\d{2,4})(?!\\d)/.exec(s) : /\\((\\d{2,4})\\)/.exec(s));
    if (m) {
      var num = m[m.length - 1], start = m.index + m[0].indexOf(num);
      if (LONG.test(num) || isShort(num)) {
        parent.appendChild(document.createTextNode(s.slice(0, start)));
        parent.appendChild(tel(num));
        addText(parent, s.slice(start + num.length), urgent, links);
        return;
      }
    }
    parent.appendChild(document.createTextNode(s));
  }
  function addInline(parent, line, urgent, links) {
    var parts = line.split(/\\*([^*\\n]+)\\*/);
    for (var i = 0; i < parts.length; i++) {
      if (!parts[i]) continue;
      if (i % 2) {
        var b = el('strong');
        if (/^\\d{2,4}$/.test(parts[i]) && isShort(parts[i])) b.appendChild(tel(parts[i])); else addText(b, parts[i], urgent, links);
        parent.appendChild(b);
      } else addText(parent, parts[i], urgent, links);
    }
  }
  /** Paragraphs, "- " lists and *bold* of a reply's text, as DOM nodes (never HTML). */
  function renderText(text, urgent, links) {
    var box = document.createDocumentFragment();
    text.split(/\\n{2,}/).forEach(function (para) {
      var list = null, p = null;
      para.split('\\n').forEach(function (line) {
        if (/^[-•] /.test(line)) {
          if (!list) { list = el('ul'); box.appendChild(list); p = null; }
          var li = el('li'); addInline(li, line.slice(2), urgent, links); list.appendChild(li);
        } else {
          if (!line.trim()) return;
          if (!p) { p = el('p'); box.appendChild(p); list = null; } else p.appendChild(el('br'));
          addInline(p, line, urgent, links);
        }
      });
    });
    return box;
  }
  /** The urgent block: its heading, then one big call button per number. */
  function renderUrgent(m, r) {
    var lines = r.text.split('\\n'), calls = [];
    lines.forEach(function (line) {
      var item = /^[-•] (.*)$/.exec(line);
      var num = item && (LONG.exec(item[1]) || /(\\d{2,4})(?!\\d)/.exec(item[1]));
      if (item && num) {
        // "Police (19) (not yet checked)" -> "Police (not yet checked)"; "Name: 0537..." -> "Name".
        var n = num[1], name = item[1].replace(n, '').replace(/\\(\\s*\\)/g, '').replace(/\\s*:\\s*$|^\\s*:\\s*/, '').replace(/\\s+/g, ' ').trim();
        var a = el('a', 'call', t('call') + ' ' + n + (name ? ' · ' + name : '')); a.href = telOf(n); a.dir = 'auto';
        m.appendChild(a); calls.push({ n: n, name: name });
      } else if (line.trim()) {
        var p = el('p'); addInline(p, line, true, []); m.appendChild(p);
      }
    });
    if (calls.length) {
      while (sos.childNodes.length > 1) sos.removeChild(sos.lastChild);
      calls.forEach(function (c) { sos.appendChild(tel(c.n, c.name)); });
      sos.className = 'on';
    }
  }
  function preview(p) {
    var d = el('details', 'pv');
    d.appendChild(el('summary', null, 'SMS · WhatsApp · Telegram'));
    d.appendChild(el('span', 'tag' + (p.sms.segments > 3 ? ' over' : ''), 'SMS ' + p.sms.encoding + ' · ' + p.sms.segments + ' segment(s) · ' + p.sms.chars + ' chars'));
    d.appendChild(el('pre', null, p.sms.text));
    d.appendChild(el('span', 'tag', 'WhatsApp')); d.appendChild(el('pre', null, p.whatsapp.text));
    d.appendChild(el('span', 'tag', 'Telegram')); d.appendChild(el('pre', null, p.telegram.text + (p.telegram.buttons.length ? '\\n[ ' + p.telegram.buttons.join(' ] [ ') + ' ]' : '')));
    return d;
  }
  function choiceButtons(choices, numbered) {
    var c = el('div', 'choices');
    choices.forEach(function (ch, i) {
      var b = el('button', 'choice', (numbered ? (i + 1) + '. ' : '') + ch.label);
      b.type = 'button'; b.dir = 'auto';
      b.onclick = function () { send({ choice: ch.id }, ch.label); };
      c.appendChild(b);
    });
    return c;
  }
  function show(r) {
    var m = el('div', 'msg bot ' + r.kind);
    m.dir = r.dir; m.lang = r.lang;
    var links = (r.links || []).map(function (k) { return { title: k.title, url: k.url }; });
    if (r.kind === 'urgent') renderUrgent(m, r);
    else if (r.short && r.kind === 'answer') {
      var title = /^\\*([^*\\n]+)\\*\\n/.exec(r.text);
      if (title) m.appendChild(el('h2', 'title', title[1]));
      m.appendChild(renderText(webShort(r.short), false, []));
      var full = el('div', 'full'); full.hidden = true; full.id = 'full-' + newId();
      full.appendChild(renderText(r.text, false, links));
      var more = el('button', 'more', t('more')); more.type = 'button';
      more.setAttribute('aria-expanded', 'false'); more.setAttribute('aria-controls', full.id);
      more.onclick = function () {
        full.hidden = !full.hidden; more.setAttribute('aria-expanded', String(!full.hidden));
        more.textContent = full.hidden ? t('more') : t('less');
        if (!full.hidden) reveal(full, 'start');
      };
      m.appendChild(more); m.appendChild(full);
      m = { root: m, body: full };
    } else m.appendChild(renderText(r.text, false, links));
    var root = m.root || m, body = m.body || m;
    var unused = links.filter(function (k) { return !k.used; });
    if (unused.length) {
      var l = el('div', 'links'); l.appendChild(el('strong', null, t('sources')));
      unused.forEach(function (k) { var a = el('a', null, k.title); a.href = k.url; a.target = '_blank'; a.rel = 'noopener noreferrer'; l.appendChild(a); });
      body.appendChild(l);
    }
    if (r.choices.length) root.appendChild(choiceButtons(r.choices, true));
    if (r.preview) root.appendChild(preview(r.preview));
    log.appendChild(root);
    return root;
  }
  function welcome() {
    var w = el('div', 'msg bot welcome');
    w.appendChild(el('h2', null, t('choose')));
    ORDER.forEach(function (l) { var p = el('p', null, S[l].welcome); p.lang = l; p.dir = l === 'ar' ? 'rtl' : 'ltr'; w.appendChild(p); });
    var c = choiceButtons(ORDER.map(function (l) { return { id: 'lang:' + l, label: NATIVE[l] }; }), false);
    Array.prototype.forEach.call(c.children, function (b, i) { b.lang = ORDER[i]; });
    w.appendChild(c);
    log.appendChild(w);
  }
  /** Scrolls a new reply's start under the sticky header (and the emergency strip). */
  function reveal(node, block) {
    document.documentElement.style.scrollPaddingTop = (document.querySelector('.top').offsetHeight + 8) + 'px';
    node.scrollIntoView({ block: block });
  }
  /** The short form without its SMS instruction ("Reply MORE for the rest"): the page has a button for that. */
  function webShort(s) {
    return s.replace(/(^|[.!?:]\\s+)[^.!?:\\n]*(\\b(PLUS|MORE|MÁS|MAS)\\b|المزيد)[^.!?\\n]*[.!?]?(?=\\s*(\\n|$))/, '$1').trim();
  }
  /** While a case is open: the case worker's replies, polled every few seconds, shown without reloading. */
  var pollTimer = null;
  function showOrg(r) {
    var m = el('div', 'msg bot org'); m.dir = 'auto'; m.setAttribute('role', 'status');
    m.appendChild(el('div', 'from', t('fromOrg')));
    m.appendChild(renderText(r.text, false, []));
    log.appendChild(m); reveal(m, 'nearest');
  }
  function poll() {
    pollTimer = null;
    fetch('/api/chat/updates', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user: user }) })
      .then(function (res) { return res.status === 404 || res.status === 400 ? null : res.json().then(function (j) { return { ok: res.ok, j: j }; }); })
      .then(function (x) {
        if (!x) { polling(false); return; }
        if (x.ok) (x.j.replies || []).forEach(showOrg);
        polling(!x.ok || x.j.open === true);
      })
      .catch(function () { polling(true); });
  }
  function polling(on) {
    store('dalil.case', on ? '1' : '');
    if (!on) { if (pollTimer) clearTimeout(pollTimer); pollTimer = null; return; }
    if (!pollTimer) pollTimer = setTimeout(poll, 4000);
  }
  function setBusy(on) { busy = on; input.disabled = on; sendBtn.disabled = on; log.setAttribute('aria-busy', String(on)); }
  function send(payload, echo) {
    if (busy) return;
    var me = el('div', 'msg me', echo); me.dir = 'auto'; log.appendChild(me);
    payload.user = user; payload.id = newId();
    if (previewMode) payload.preview = true;
    post(payload, me);
  }
  function post(payload, me) {
    setBusy(true);
    var typing = el('div', 'msg bot typing', t('typing')); typing.setAttribute('role', 'status'); log.appendChild(typing);
    reveal(typing, 'nearest');
    var ctl = window.AbortController ? new AbortController() : null;
    var timer = setTimeout(function () { if (ctl) ctl.abort(); }, 30000);
    fetch('/api/chat', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload), signal: ctl ? ctl.signal : undefined })
      .then(function (res) { return res.json().then(function (j) { return { ok: res.ok, j: j }; }); })
      .then(function (x) {
        clearTimeout(timer); typing.remove(); setBusy(false);
        if (!x.ok) { log.appendChild(el('div', 'msg bot error', x.j.error || t('failed'))); return; }
        if (x.j.lang) setLang(x.j.lang);
        var first = null;
        x.j.replies.forEach(function (r) { var n = show(r); first = first || n; });
        polling(x.j.caseOpen === true);
        // The start of the reply in view (an urgent block comes first), not the end of a long answer.
        if (first) reveal(first, 'start');
        input.focus();
      })
      .catch(function () {
        clearTimeout(timer); typing.remove(); setBusy(false);
        var e = el('div', 'msg bot error'); e.setAttribute('role', 'alert');
        e.appendChild(el('p', null, t('failed')));
        var b = el('button', 'retry', t('retry')); b.type = 'button';
        // The same message id: if the first try did reach Dalil, the retry is not answered twice.
        b.onclick = function () { e.remove(); post(payload, me); };
        e.appendChild(b); log.appendChild(e); reveal(e, 'nearest');
      });
  }
  document.getElementById('f').onsubmit = function (e) {
    e.preventDefault();
    var text = input.value.trim(); if (!text || busy) return;
    input.value = ''; send({ text: text }, text);
  };
  resetBtn.onclick = function () {
    polling(false);
    user = newId(); store('dalil.user', user); log.textContent = ''; sos.className = '';
    welcome(); input.focus();
  };
  setLang(lang);
  welcome();
  // A case opened before the page was reloaded: its replies are still waiting.
  if (stored('dalil.case') === '1') poll();
})();
`;

/**
 * `/embed.js`: the script tag a partner site adds (its origin must be in WEB_EMBED_ORIGINS). It
 * adds a "Dalil" button that opens the chat in a frame; `data-lang` picks the chat's language.
 */
export const EMBED_JS = `(function () {
  var s = document.currentScript; if (!s) return;
  var base = new URL(s.src).origin, lang = s.getAttribute('data-lang'), frame = null;
  var b = document.createElement('button');
  b.type = 'button'; b.textContent = s.getAttribute('data-label') || 'Dalil · دليل'; b.setAttribute('aria-expanded', 'false');
  b.style.cssText = 'position:fixed;bottom:16px;inset-inline-end:16px;z-index:2147483000;min-height:48px;padding:0 18px;border:0;border-radius:24px;background:#0b6e4f;color:#fff;font:600 16px system-ui,sans-serif;box-shadow:0 2px 8px #0004;cursor:pointer';
  b.onclick = function () {
    if (!frame) {
      frame = document.createElement('iframe');
      frame.src = base + '/' + (/^(fr|en|ar|es)$/.test(lang || '') ? '?lang=' + lang : '');
      frame.title = 'Dalil'; frame.setAttribute('allow', 'clipboard-write');
      frame.style.cssText = 'position:fixed;bottom:72px;inset-inline-end:16px;z-index:2147483000;width:min(400px,calc(100vw - 32px));height:min(640px,calc(100vh - 96px));border:1px solid #ccc;border-radius:12px;background:#fff;box-shadow:0 4px 16px #0004';
      document.body.appendChild(frame);
    } else frame.hidden = !frame.hidden;
    b.setAttribute('aria-expanded', String(!frame.hidden));
  };
  document.body.appendChild(b);
})();
`;

/** The chat page. */
export const CHAT_PAGE = `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dalil · دليل</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style>${CHAT_CSS}</style>
</head>
<body>
<div class="top">
<header>
  <h1>Dalil · دليل</h1>
  <p id="tagline">Vos droits au Maroc</p>
  <button id="reset" type="button" aria-label="Nouvelle conversation" title="Nouvelle conversation">↺</button>
</header>
<div id="sos" role="region" aria-label="Urgence"><span>Urgence</span></div>
</div>
<main id="log" role="log" aria-label="Conversation"></main>
<form id="f" autocomplete="off">
  <input id="t" name="t" placeholder="Écrivez votre question ici" aria-label="Votre message" maxlength="2000">
  <button id="send" type="submit" aria-label="Envoyer" title="Envoyer">➤</button>
</form>
<script>${CHAT_JS}</script>
</body>
</html>
`;
