/* The room's pages: the participant's questionnaire and the projector view.
   Texts come from the JSON block of the page and reach the screen through
   textContent only; answers stay in this browser (localStorage) until sent. */
"use strict";
(function () {
  var data = JSON.parse(document.getElementById("cx-data").textContent);
  var app = document.getElementById("app");
  var storeKey = "cx-room-" + data.code;
  var NOT_APPLICABLE = "not-applicable";  /* kept apart from "don't know" in the browser only */

  function fill(template, fields) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(fields, name) ? String(fields[name]) : whole;
    });
  }

  function el(tag, options, children) {
    var node = document.createElement(tag);
    options = options || {};
    if (options.text !== undefined) node.textContent = options.text;
    if (options.cls) node.className = options.cls;
    if (options.onclick) node.addEventListener("click", options.onclick);
    if (options.attrs) {
      Object.keys(options.attrs).forEach(function (name) { node.setAttribute(name, options.attrs[name]); });
    }
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function button(text, onclick, cls, pressed) {
    var attrs = { type: "button" };
    if (pressed !== undefined) attrs["aria-pressed"] = pressed ? "true" : "false";
    return el("button", { text: text, onclick: onclick, cls: cls || "", attrs: attrs });
  }

  function show(nodes) {
    app.replaceChildren.apply(app, nodes.filter(function (node) { return node; }));
    window.scrollTo(0, 0);
    var heading = app.querySelector("h1, h2");
    if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus({ preventScroll: true }); }
  }

  function randomId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function shuffled(items) {
    var copy = items.slice();
    for (var i = copy.length - 1; i > 0; i--) {
      var bytes = new Uint32Array(1);
      window.crypto.getRandomValues(bytes);
      var j = bytes[0] % (i + 1);
      var keep = copy[i]; copy[i] = copy[j]; copy[j] = keep;
    }
    return copy;
  }

  /* --- the participant's questionnaire ---------------------------------- */

  function load() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(storeKey) || "null");
      if (saved && typeof saved === "object" && saved.device) return saved;
    } catch (ignored) { /* private mode or a damaged entry: start afresh */ }
    return fresh(randomId());
  }

  function fresh(device) {
    return {
      device: device, lang: data.lang, step: "welcome", index: 0, segment: null,
      answers: {}, order: null, result: null
    };
  }

  var state;

  function save() {
    try { window.localStorage.setItem(storeKey, JSON.stringify(state)); } catch (ignored) { /* kept in memory */ }
  }

  function t() { return data.texts[state.lang] || data.texts[data.lang]; }
  function label(key, fields) { return fill(t().labels[key], fields || {}); }
  function statements() { return t().statements; }
  function total() { return statements().length + 1; }

  function go(step, index) {
    state.step = step;
    state.index = index || 0;
    save();
    render();
  }

  function render() {
    document.documentElement.lang = state.lang;
    document.title = label("page_title");
    var screens = { welcome: welcome, segment: segment, question: question, quote: quote, review: review, thanks: thanks };
    (screens[state.step] || welcome)();
  }

  function welcome() {
    var langs = Object.keys(data.texts).map(function (lang) {
      return button(data.texts[lang].lang_name, function () { state.lang = lang; save(); render(); },
        "choice lang", lang === state.lang);
    });
    var glossary = t().glossary.map(function (entry) {
      return el("div", {}, [el("dt", { text: entry.term }), el("dd", { text: entry.meaning })]);
    });
    show([
      el("h1", { text: label("welcome_title") }),
      el("p", { text: label("welcome_what") }),
      el("p", { text: label("welcome_cx") }),
      glossary.length ? el("dl", { cls: "glossary" }, glossary) : null,
      el("p", { text: label("welcome_time") }),
      el("p", { text: label("welcome_anonymous") }),
      el("div", { cls: "langs", attrs: { role: "group", "aria-label": label("language") } }, langs),
      button(label("start"), function () { go(data.segments.length ? "segment" : "question", 0); }, "primary"),
      el("p", { cls: "code", text: label("welcome_code") })
    ]);
  }

  function segment() {
    var choices = data.segments.map(function (name) {
      return button(name, function () { state.segment = name; go("question", 0); }, "choice", state.segment === name);
    });
    choices.push(button(label("segment_none"), function () { state.segment = null; go("question", 0); }, "choice",
      false));
    show([el("h2", { text: label("segment_question") }), el("div", { cls: "choices" }, choices),
      button(label("back"), function () { go("welcome"); }, "back")]);
  }

  function progress(number) {
    return el("div", { cls: "progress" }, [
      el("p", { text: label("progress", { number: number, total: total() }) }),
      el("progress", { attrs: { max: String(total()), value: String(number - 1) } })
    ]);
  }

  function answered(id) { return Object.prototype.hasOwnProperty.call(state.answers, id); }

  function record(id, value, next) {
    state.answers[id] = value;
    next();
  }

  function question() {
    var index = Math.min(state.index, statements().length - 1);
    var statement = statements()[index];
    var current = answered(statement.id) ? state.answers[statement.id] : undefined;
    var next = function () { if (index + 1 < statements().length) go("question", index + 1); else go("quote"); };
    var choices = t().scale.map(function (point) {
      return button(point.value + " · " + point.label, function () { record(statement.id, point.value, next); },
        "choice", current === point.value);
    });
    if (statement.applies_to && t().not_applicable) {
      choices.push(button(t().not_applicable, function () { record(statement.id, NOT_APPLICABLE, next); },
        "choice dont-know", current === NOT_APPLICABLE));
    }
    choices.push(button(t().dont_know, function () { record(statement.id, null, next); }, "choice dont-know",
      current === null));
    var back = index > 0 ? function () { go("question", index - 1); }
      : function () { go(data.segments.length ? "segment" : "welcome"); };
    show([progress(index + 1), statement.applies_to ? el("p", { cls: "applies", text: statement.applies_to }) : null,
      el("h2", { text: statement.text }), el("p", { cls: "hint", text: label("statement_hint") }),
      el("div", { cls: "choices" }, choices), button(label("back"), back, "back")]);
  }

  function quote() {
    var q = t().quote;
    if (!state.order) { state.order = shuffled(q.quotes.map(function (item) { return item.level; })); save(); }
    var byLevel = {};
    q.quotes.forEach(function (item) { byLevel[item.level] = item.text; });
    var current = answered(q.id) ? state.answers[q.id] : undefined;
    var choices = state.order.map(function (level) {
      return button(byLevel[level], function () { record(q.id, level, function () { go("review"); }); },
        "choice quote", current === level);
    });
    choices.push(button(q.none, function () { record(q.id, null, function () { go("review"); }); }, "choice dont-know",
      current === null));
    show([progress(total()), el("h2", { text: q.prompt }), el("div", { cls: "choices" }, choices),
      button(label("back"), function () { go("question", statements().length - 1); }, "back")]);
  }

  function review(problem) {
    var status = el("p", { cls: problem ? "problem" : "", text: problem || "", attrs: { role: "status" } });
    var send = button(label("send"), function () { submit(send, status); }, "primary");
    show([el("h2", { text: label("review") }), send, status,
      button(label("back"), function () { go("quote"); }, "back")]);
  }

  function submit(send, status) {
    send.disabled = true;
    status.className = "";
    status.textContent = label("sending");
    var answers = {};
    Object.keys(state.answers).forEach(function (id) {  /* "doesn't apply to me" is sent as not answered */
      answers[id] = state.answers[id] === NOT_APPLICABLE ? null : state.answers[id];
    });
    var body = JSON.stringify({ device: state.device, lang: state.lang, segment: state.segment, answers: answers });
    window.fetch("answers", {
      method: "POST", body: body, cache: "no-store", credentials: "omit",
      headers: { "Content-Type": "application/json" }
    }).then(function (response) {
      if (response.status === 404) throw new Error("closed");
      if (!response.ok) throw new Error("failed");
      return response.json();
    }).then(function (reply) {
      var kept = fresh(state.device);
      kept.lang = state.lang;
      kept.step = "thanks";
      kept.result = reply.level ? { level: reply.level, name: reply.level_name } : null;
      state = kept;
      save();
      render();
    }).catch(function (error) {
      review(label(error && error.message === "closed" ? "closed" : "send_failed"));
    });
  }

  function thanks() {
    var nodes = [el("h1", { text: label("thanks_title") }), el("p", { text: label("thanks_text") })];
    if (state.result) nodes.push(el("p", { cls: "result", text: label("your_level", state.result) }));
    nodes.push(button(label("again"), function () {
      var device = state.device, lang = state.lang;
      state = fresh(device);
      state.lang = lang;
      go("welcome");
    }, "back"));
    show(nodes);
  }

  /* --- the projector ---------------------------------------------------- */

  var projector = { count: 0, revealed: false, group: null };

  function poll() {
    window.fetch("state", { cache: "no-store", credentials: "omit" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (reply) { if (reply) { projector = reply; drawProjector(); } })
      .catch(function () { /* the room may be closing: keep the last picture */ });
  }

  function reveal(on) {
    window.fetch("reveal", {
      method: "POST", cache: "no-store", credentials: "omit",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify({ revealed: on })
    }).then(poll).catch(function () { /* tried again at the next poll */ });
  }

  function drawProjector() {
    var texts = data.texts[data.lang];
    var say = function (key, fields) { return fill(texts.labels[key], fields || {}); };
    var nodes = [el("h1", { text: say("projector_title") }), el("p", { cls: "count", text: String(projector.count) })];
    if (projector.count < data.min_group) {
      nodes.push(el("p", { text: say("projector_too_few", { min: data.min_group }) }));
    } else if (!projector.revealed) {
      nodes.push(button(say("projector_reveal"), function () { reveal(true); }, "primary"));
    } else {
      if (projector.group) {
        var group = projector.group;
        nodes.push(el("h2", { text: say("group_level", { level: group.level, name: texts.levels[String(group.level)] }) }));
        group.areas.forEach(function (area) {
          var score = area.score === null ? "—" : area.score.toFixed(1);
          score = score.replace(".", texts.decimal_separator);  /* as lang.decimal writes it */
          nodes.push(el("div", { cls: "area" + (area.met ? " met" : "") }, [
            el("span", { text: texts.areas[area.id] || area.id }),
            el("progress", { attrs: { max: "5", value: String(area.score || 0) } }),
            el("span", { cls: "score", text: score })
          ]));
        });
      }
      nodes.push(button(say("projector_hide"), function () { reveal(false); }, "back"));
    }
    app.replaceChildren.apply(app, nodes);
  }

  if (document.body.getAttribute("data-kind") === "projector") {
    drawProjector();
    poll();
    window.setInterval(poll, 2000);
  } else {
    state = load();
    if (!data.texts[state.lang]) state.lang = data.lang;
    render();
  }
})();
