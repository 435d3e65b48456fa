/*
 * resolution-pack SCORM player: one MOOC part (lesson + validation test).
 *
 * - finds the LMS API the standard way (API for SCORM 1.2, API_1484_11 for
 *   SCORM 2004: this window, its parents, then the opener and its parents),
 *   initialises, commits after each step, terminates when the page goes;
 * - without an LMS it still works, and says that progress is not saved;
 * - records every checked formative activity as an interaction (never
 *   graded), grades the test, reports score, success, completion and session
 *   time, and resumes from suspend data and location.
 *
 * Answer keys are hashes (see resolution_pack/targets/scorm_content.py): the
 * function `hash` below must stay identical to `answer_hash` there.
 */
(function () {
  "use strict";

  var doc = document;
  doc.documentElement.className = doc.documentElement.className.replace(/\bno-js\b/, "js");
  var DATA = JSON.parse(doc.getElementById("rp-data").textContent);
  var TEXT = DATA.text || {};
  var V12 = DATA.scorm === "1.2";

  function t(key, values) {
    var s = TEXT[key] || key;
    return s.replace(/\{(\w+)\}/g, function (m, k) {
      return values && Object.prototype.hasOwnProperty.call(values, k) ? String(values[k]) : m;
    });
  }

  function $$(root, selector) {
    return Array.prototype.slice.call(root.querySelectorAll(selector));
  }

  // ---- answer hashes --------------------------------------------------------
  function utf8(s) {
    if (typeof TextEncoder !== "undefined") return new TextEncoder().encode(s);
    var bin = unescape(encodeURIComponent(s)), out = [];
    for (var i = 0; i < bin.length; i++) out.push(bin.charCodeAt(i));
    return out;
  }
  function fnv(bytes, h) {
    for (var i = 0; i < bytes.length; i++) {
      h = (h ^ bytes[i]) >>> 0;
      h = Math.imul(h, 16777619) >>> 0;
    }
    return h >>> 0;
  }
  function hex8(n) { return ("0000000" + n.toString(16)).slice(-8); }
  function hash(qid, part, value) {
    var b = utf8(qid + "\u001f" + part + "\u001f" + value);
    return hex8(fnv(b, 0x811c9dc5)) + hex8(fnv(b, 0x050c5d1f));
  }
  function normalise(text, caseSensitive) {
    var s = String(text || "");
    if (s.normalize) s = s.normalize("NFC");
    s = s.split(/\s+/).filter(Boolean).join(" ");
    return caseSensitive ? s : s.toLowerCase();
  }

  // ---- the LMS ---------------------------------------------------------------
  function scan(win, name) {
    var tries = 0;
    while (win && tries < 500) {
      try { if (win[name]) return win[name]; } catch (e) { /* another origin */ }
      var parent = null;
      try { parent = win.parent; } catch (e2) { parent = null; }
      if (!parent || parent === win) break;
      win = parent;
      tries++;
    }
    return null;
  }
  function findAPI(name) {
    var api = scan(window, name);
    if (!api) {
      try {
        if (window.opener) api = scan(window.opener, name) || (window.opener.top ? scan(window.opener.top, name) : null);
      } catch (e) { api = null; }
    }
    return api;
  }

  var K = V12 ? {
    location: "cmi.core.lesson_location", entry: "cmi.core.entry", suspend: "cmi.suspend_data",
    exit: "cmi.core.exit", session: "cmi.core.session_time", raw: "cmi.core.score.raw",
    min: "cmi.core.score.min", max: "cmi.core.score.max", status: "cmi.core.lesson_status",
    mastery: "cmi.student_data.mastery_score", count: "cmi.interactions._count", mode: "cmi.core.lesson_mode"
  } : {
    location: "cmi.location", entry: "cmi.entry", suspend: "cmi.suspend_data",
    exit: "cmi.exit", session: "cmi.session_time", raw: "cmi.score.raw",
    min: "cmi.score.min", max: "cmi.score.max", scaled: "cmi.score.scaled",
    completion: "cmi.completion_status", success: "cmi.success_status",
    mastery: "cmi.scaled_passing_score", count: "cmi.interactions._count", mode: "cmi.mode"
  };

  var lms = {
    api: findAPI(V12 ? "API" : "API_1484_11"),
    active: false,
    finished: false,
    readOnly: false,      // review or browse mode: the LMS shows a finished attempt; nothing is written
    call: function (name12, name04, args) {
      try {
        var fn = this.api[V12 ? name12 : name04];
        return String(fn.apply(this.api, args));
      } catch (e) {
        return "";
      }
    },
    init: function () {
      if (!this.api) return false;
      this.active = this.call("LMSInitialize", "Initialize", [""]) === "true";
      return this.active;
    },
    get: function (key) {
      if (!this.active) return "";
      var v = this.call("LMSGetValue", "GetValue", [key]);
      return v === "undefined" || v === "null" ? "" : v;
    },
    set: function (key, value) {
      if (!this.active || this.readOnly) return false;
      return this.call("LMSSetValue", "SetValue", [key, String(value)]) === "true";
    },
    commit: function () {
      if (!this.active || this.readOnly) return false;
      return this.call("LMSCommit", "Commit", [""]) === "true";
    },
    finish: function () {
      if (!this.active || this.finished) return;
      this.finished = true;
      this.call("LMSFinish", "Terminate", [""]);
      this.active = false;
    }
  };

  // ---- time formats ------------------------------------------------------------
  function pad(n, size) { var s = String(n); while (s.length < (size || 2)) s = "0" + s; return s; }
  function sessionTime(ms) {
    var total = Math.max(0, Math.round(ms / 1000));
    var h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
    if (V12) return pad(h) + ":" + pad(m) + ":" + pad(s);
    return "PT" + h + "H" + m + "M" + s + "S";
  }
  function timestamp(d) {
    if (V12) return pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds());
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" +
      pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds());
  }

  // ---- questions -----------------------------------------------------------------
  var QUESTIONS = DATA.questions || [];
  var byId = {};
  QUESTIONS.forEach(function (q, i) {
    q.index = i;
    q.el = doc.querySelector('[data-index="' + i + '"][data-question-id]');
    byId[q.id] = q;
  });

  /* The learner's answer, as a list of parts:
     single/truefalse/shortanswer: [value]; multiple: selected ids;
     match/gaps: one value per stem or gap ("" when empty); ordering: ids in order. */
  function readAnswer(q) {
    var el = q.el;
    switch (q.t) {
      case "single":
      case "truefalse":
        var checked = el.querySelector("input:checked");
        return checked ? [checked.value] : [];
      case "multiple":
        return $$(el, "input:checked").map(function (i) { return i.value; });
      case "match":
      case "gapselect":
      case "ddwtos":
        return $$(el, "select[data-part]").map(function (s) { return s.value; });
      case "ordering":
        return $$(el, "ol.ordering > li").map(function (li) { return li.getAttribute("data-value"); });
      case "shortanswer":
        var input = el.querySelector("input[type=text]");
        return input && input.value.trim() ? [input.value] : [];
    }
    return [];
  }

  function writeAnswer(q, answer) {
    var el = q.el;
    answer = answer || [];
    switch (q.t) {
      case "single":
      case "truefalse":
      case "multiple":
        $$(el, "input").forEach(function (i) { i.checked = answer.indexOf(i.value) >= 0; });
        break;
      case "match":
      case "gapselect":
      case "ddwtos":
        $$(el, "select[data-part]").forEach(function (s, n) { s.value = answer[n] || ""; });
        break;
      case "ordering":
        var list = el.querySelector("ol.ordering");
        answer.forEach(function (value) {
          var li = list.querySelector('li[data-value="' + value + '"]');
          if (li) list.appendChild(li);
        });
        refreshOrdering(q);
        break;
      case "shortanswer":
        var input = el.querySelector("input[type=text]");
        if (input) input.value = answer[0] || "";
        break;
    }
  }

  function isAnswered(q, answer) {
    if (q.t === "ordering") return true;
    return answer.some(function (a) { return a !== ""; });
  }

  /* Score in [0, 1]; also which feedback blocks apply. */
  function grade(q, answer) {
    var key = q.key, score = 0, matched = null;
    switch (q.t) {
      case "single":
      case "truefalse":
        score = answer.length && key[""].indexOf(hash(q.id, "", answer[0])) >= 0 ? 1 : 0;
        break;
      case "multiple":
        var right = 0, wrong = 0, expected = 0;
        Object.keys(key).forEach(function (cid) {
          var correct = key[cid] === hash(q.id, cid, "1");
          if (correct) expected++;
          if (answer.indexOf(cid) >= 0) { if (correct) right++; else wrong++; }
        });
        score = expected ? Math.max(0, right - wrong) / expected : (answer.length ? 0 : 1);
        break;
      case "match":
      case "gapselect":
      case "ddwtos":
      case "ordering":
        var parts = Object.keys(key), good = 0;
        parts.forEach(function (part) {
          var value = answer[Number(part) - 1];
          if (value && key[part] === hash(q.id, part, value)) good++;
        });
        score = parts.length ? good / parts.length : 0;
        break;
      case "shortanswer":
        if (answer.length) {
          var h = hash(q.id, "", normalise(answer[0], !!key.cs));
          key[""].forEach(function (pair) {
            if (pair[0] === h && pair[1] / 100 > score) { score = pair[1] / 100; matched = h; }
          });
        }
        break;
    }
    return { score: score, matched: matched };
  }

  function verdictOf(score) {
    if (score >= 0.9999) return "correct";
    return score > 0 ? "partially_correct" : "incorrect";
  }

  function showFeedback(q, answer, graded) {
    var el = q.el, verdict = verdictOf(graded.score);
    var box = el.querySelector(".feedback");
    box.className = "feedback shown " + verdict;
    el.setAttribute("data-result", verdict);
    var icon = { correct: "✔", incorrect: "✘", partially_correct: "◐" }[verdict];
    var p = box.querySelector('[data-role="verdict"]');
    p.innerHTML = "";
    var span = doc.createElement("span");
    span.className = "icon";
    span.setAttribute("aria-hidden", "true");
    span.textContent = icon + " ";
    p.appendChild(span);
    p.appendChild(doc.createTextNode(t(verdict)));
    $$(box, ".fb").forEach(function (fb) {
      var kind = fb.getAttribute("data-fb"), show = false;
      if (kind === "choice") show = answer.indexOf(fb.getAttribute("data-choice")) >= 0;
      else if (kind === "true" || kind === "false") show = answer[0] === kind;
      else if (kind === "answer") show = fb.getAttribute("data-answer") === graded.matched;
      else if (kind === "correct") show = verdict === "correct";
      else if (kind === "incorrect") show = verdict !== "correct";
      else if (kind === "general") show = true;
      fb.hidden = !show;
    });
  }

  function clearFeedback(q) {
    var box = q.el.querySelector(".feedback");
    box.className = "feedback";
    q.el.removeAttribute("data-result");
    box.querySelector('[data-role="verdict"]').textContent = "";
    $$(box, ".fb").forEach(function (fb) { fb.hidden = true; });
  }

  // ---- interactions ----------------------------------------------------------
  function learnerResponse(q, answer) {
    var list = V12 ? "," : "[,]", pair = V12 ? "." : "[.]";
    switch (q.t) {
      case "single":
      case "multiple":
      case "ordering":
        return answer.join(list);
      case "truefalse":
        return V12 ? answer[0].charAt(0) : answer[0];
      case "match":
      case "gapselect":
      case "ddwtos":
        var out = [];
        answer.forEach(function (value, n) { if (value) out.push((n + 1) + pair + value); });
        return out.join(list);
      case "shortanswer":
        var text = String(answer[0] || "").replace(/[\r\n]+/g, " ").replace(/\[[,.]\]/g, " ");
        text = text.replace(/^[\s{]+/, "");
        return text.slice(0, V12 ? 255 : 250);
    }
    return "";
  }

  function record(q, answer, verdict, weighting) {
    if (!lms.active) return;
    var n = parseInt(lms.get(K.count), 10);
    if (isNaN(n)) n = interactionCount;
    var base = "cmi.interactions." + n + ".";
    lms.set(base + "id", q.iid);
    lms.set(base + "type", q.it);
    if (!V12 && q.d) lms.set(base + "description", q.d);
    if (weighting !== null) lms.set(base + "weighting", weighting);
    if (isAnswered(q, answer)) {
      lms.set(base + (V12 ? "student_response" : "learner_response"), learnerResponse(q, answer));
    }
    lms.set(base + "result", verdict === "correct" ? "correct" : (V12 ? "wrong" : "incorrect"));
    lms.set(base + (V12 ? "time" : "timestamp"), timestamp(new Date()));
    interactionCount = n + 1;
  }
  var interactionCount = 0;

  // ---- state, suspend data -------------------------------------------------------
  var screens = $$(doc, "main > .screen");
  var state = { s: 0, a: {}, c: {}, r: null, seen: {} };
  var started = Date.now();

  function saveState() {
    if (!lms.active) return;
    var answers = {};
    QUESTIONS.forEach(function (q) {
      var a = readAnswer(q);
      if (isAnswered(q, a) && (q.t !== "ordering" || state.c[q.index] || q.k === "exercise")) {
        answers[q.index] = q.t === "shortanswer" ? [String(a[0]).slice(0, 200)] : a;
      }
    });
    var data = {
      v: 1,
      a: answers,
      c: Object.keys(state.c).map(Number),
      r: state.r,
      seen: Object.keys(state.seen).map(Number)
    };
    var text = JSON.stringify(data);
    if (V12 && text.length > 4096) {           // SCORM 1.2 limit: keep what matters most
      data.a = {};
      QUESTIONS.forEach(function (q) { if (q.k === "exercise" && answers[q.index]) data.a[q.index] = answers[q.index]; });
      text = JSON.stringify(data);
      if (text.length > 4096) { data.a = {}; text = JSON.stringify(data); }
    }
    lms.set(K.suspend, text);
    lms.set(K.location, DATA.screens[state.s] || "");
  }

  function commit() {
    if (!lms.active) return;
    saveState();
    lms.set(K.session, sessionTime(Date.now() - started));
    lms.commit();
  }

  function restore() {
    var raw = lms.get(K.suspend), saved = null;
    if (raw) { try { saved = JSON.parse(raw); } catch (e) { saved = null; } }
    var location = lms.get(K.location);
    if (saved && saved.v === 1) {
      Object.keys(saved.a || {}).forEach(function (i) {
        var q = QUESTIONS[Number(i)];
        if (q && q.el) writeAnswer(q, saved.a[i]);
      });
      (saved.c || []).forEach(function (i) {
        var q = QUESTIONS[i];
        if (!q || !q.el) return;
        state.c[i] = 1;
        var a = readAnswer(q);
        showFeedback(q, a, grade(q, a));
      });
      (saved.seen || []).forEach(function (i) { state.seen[i] = 1; });
      if (saved.r) showResult(saved.r, false);
    }
    var index = DATA.screens.indexOf(location);
    return index >= 0 ? index : 0;
  }

  // ---- navigation --------------------------------------------------------------
  var toc = $$(doc, "nav.toc a[data-screen]");
  var tocBox = doc.querySelector(".toc-box");
  var narrow = window.matchMedia("(max-width: 57.99rem)");
  function foldToc() { tocBox.open = !narrow.matches; }
  foldToc();
  if (narrow.addEventListener) narrow.addEventListener("change", foldToc);
  var prev = doc.querySelector('[data-action="previous"]');
  var next = doc.querySelector('[data-action="next"]');
  var position = doc.getElementById("rp-position");

  function go(index, focus) {
    index = Math.max(0, Math.min(screens.length - 1, index));
    screens.forEach(function (s, i) {
      s.hidden = i !== index;
      if (i !== index) $$(s, "video").forEach(function (v) { try { v.pause(); } catch (e) { /* */ } });
    });
    toc.forEach(function (a, i) {
      if (i === index) a.setAttribute("aria-current", "step"); else a.removeAttribute("aria-current");
      if (state.seen[i]) a.classList.add("seen");
    });
    state.s = index;
    state.seen[index] = 1;
    if (toc[index]) toc[index].classList.add("seen");
    prev.disabled = index === 0;
    next.disabled = index === screens.length - 1;
    position.textContent = t("page_of", { n: index + 1, total: screens.length });
    if (focus) {
      var h = screens[index].querySelector("h2");
      if (h) h.focus({ preventScroll: true });
      screens[index].scrollIntoView({ block: "start" });   // below the sticky Previous/Next bar
      if (narrow.matches) tocBox.open = false;
    }
    if (!DATA.test && Object.keys(state.seen).length >= screens.length) setCompletion("completed");
    commit();
  }

  prev.addEventListener("click", function () { go(state.s - 1, true); });
  next.addEventListener("click", function () { go(state.s + 1, true); });
  toc.forEach(function (a, i) {
    a.addEventListener("click", function (ev) { ev.preventDefault(); go(i, true); });
  });
  $$(doc, ".review a[data-screen]").forEach(function (a) {
    a.addEventListener("click", function (ev) { ev.preventDefault(); go(Number(a.getAttribute("data-screen")), true); });
  });

  // ---- ordering controls ----------------------------------------------------------
  function refreshOrdering(q) {
    var items = $$(q.el, "ol.ordering > li");
    items.forEach(function (li, i) {
      li.querySelector('[data-move="-1"]').disabled = i === 0;
      li.querySelector('[data-move="1"]').disabled = i === items.length - 1;
    });
  }

  QUESTIONS.forEach(function (q) {
    if (q.t !== "ordering" || !q.el) return;
    refreshOrdering(q);
    q.el.addEventListener("click", function (ev) {
      var button = ev.target.closest ? ev.target.closest("button[data-move]") : null;
      if (!button || button.disabled) return;
      var li = button.closest("li"), list = li.parentNode;
      var step = Number(button.getAttribute("data-move"));
      if (step < 0 && li.previousElementSibling) list.insertBefore(li, li.previousElementSibling);
      else if (step > 0 && li.nextElementSibling) list.insertBefore(li.nextElementSibling, li);
      refreshOrdering(q);
      var items = $$(q.el, "ol.ordering > li"), pos = items.indexOf(li) + 1;
      var same = li.querySelector('[data-move="' + step + '"]');
      (same && !same.disabled ? same : li.querySelector('[data-move="' + (-step) + '"]')).focus();
      var announce = q.el.querySelector('[data-role="announce"]');
      if (announce) announce.textContent = li.querySelector(".otext").textContent + " — " + pos + " / " + items.length;
    });
  });

  // ---- formative activities -----------------------------------------------------------
  $$(doc, '[data-kind="formative"] [data-action="check"]').forEach(function (button) {
    button.addEventListener("click", function () {
      var el = button.closest("[data-question-id]");
      var q = byId[el.getAttribute("data-question-id")];
      var answer = readAnswer(q);
      if (!isAnswered(q, answer)) {          // nothing to check yet: back to the first control
        var first = el.querySelector("input, select");
        if (first) first.focus();
        return;
      }
      var graded = grade(q, answer);
      showFeedback(q, answer, graded);
      state.c[q.index] = 1;
      record(q, answer, verdictOf(graded.score), null);
      commit();
    });
  });

  // ---- the validation test ----------------------------------------------------------
  var form = doc.getElementById("rp-test");
  var result = doc.getElementById("rp-result");

  function passMark() {
    var value = parseFloat(lms.get(K.mastery));
    if (!isNaN(value)) {
      if (V12 && value >= 0 && value <= 100) return value;
      if (!V12 && value >= -1 && value <= 1) return value * 100;
    }
    return DATA.pass;
  }

  function setCompletion(status) {
    if (!lms.active) return;
    if (V12) {
      var current = lms.get(K.status);
      if (current !== "passed" && current !== "failed") lms.set(K.status, status);
    } else {
      lms.set(K.completion, status);
    }
  }

  function testQuestions() {
    return QUESTIONS.filter(function (q) { return q.k === "exercise" && q.el; });
  }

  function lockTest(locked) {
    $$(form, "input, select, button[data-move]").forEach(function (c) { c.disabled = locked; });
    form.querySelector('[data-action="submit"]').disabled = locked;
    if (!locked) testQuestions().forEach(function (q) { if (q.t === "ordering") refreshOrdering(q); });
  }

  function showResult(r, focus) {
    var percent = r[0], passed = r[1] === 1;
    result.hidden = false;
    result.className = "result " + (passed ? "passed" : "failed");
    result.querySelector('[data-role="score"]').textContent = t("your_score", { score: formatPercent(percent) });
    var outcome = result.querySelector('[data-role="outcome"]');
    outcome.textContent = "";
    var icon = doc.createElement("span");
    icon.className = "icon";
    icon.setAttribute("aria-hidden", "true");
    icon.textContent = passed ? "✔ " : "✘ ";
    outcome.appendChild(icon);
    outcome.appendChild(doc.createTextNode(t(passed ? "passed" : "failed")));
    $$(result, "[data-band]").forEach(function (band) {
      band.hidden = band.getAttribute("data-band") !== (passed ? "pass" : "not-yet");
    });
    state.r = r;
    testQuestions().forEach(function (q) {
      var a = readAnswer(q);
      showFeedback(q, a, grade(q, a));
    });
    lockTest(true);
    if (focus) result.focus();
  }

  function formatPercent(p) {
    var rounded = Math.round(p * 100) / 100;
    try {
      return new Intl.NumberFormat(DATA.lang, { maximumFractionDigits: 2 }).format(rounded);
    } catch (e) {
      return String(rounded);
    }
  }

  if (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var questions = testQuestions(), total = 0;
      questions.forEach(function (q) {
        var answer = readAnswer(q), graded = grade(q, answer);
        total += graded.score;
        record(q, answer, verdictOf(graded.score), 1);
      });
      var percent = questions.length ? Math.round((total / questions.length) * 10000) / 100 : 0;
      var passed = percent + 1e-9 >= passMark();
      var keep = stored.passed && (!passed || percent < stored.raw);   // never lower a stored pass
      result.querySelector('[data-role="kept"]').hidden = !keep;
      if (keep) result.querySelector('[data-role="kept"]').textContent = t("pass_kept", { score: formatPercent(stored.raw) });
      if (lms.active && !keep) {
        lms.set(K.min, 0);
        lms.set(K.max, 100);
        lms.set(K.raw, percent);
        if (V12) {
          lms.set(K.status, passed ? "passed" : "failed");
        } else {
          lms.set(K.scaled, Math.round(percent * 100) / 10000);
          lms.set(K.success, passed ? "passed" : "failed");
          lms.set(K.completion, "completed");
        }
      }
      showResult([percent, passed ? 1 : 0], true);
      commit();
    });
    result.querySelector('[data-action="retry"]').addEventListener("click", function () {
      testQuestions().forEach(function (q) {
        writeAnswer(q, []);
        clearFeedback(q);
      });
      lockTest(false);
      result.hidden = true;
      state.r = null;
      commit();
      var first = form.querySelector("input, select, button");
      if (first) first.focus();
    });
  }

  // ---- start and stop ------------------------------------------------------------
  var start = 0;
  var stored = { passed: false, raw: 0 };
  if (lms.init()) {
    var mode = lms.get(K.mode);
    lms.readOnly = mode === "review" || mode === "browse";
    stored.passed = lms.get(V12 ? K.status : K.success) === "passed";
    stored.raw = parseFloat(lms.get(K.raw)) || 0;
    if (lms.readOnly) {
      var banner = doc.getElementById("rp-nolms");
      banner.querySelector("[data-role=message]").textContent = t("not_recorded");
      banner.hidden = false;
    }
    if (V12) {
      var status = lms.get(K.status);
      if (!status || status === "not attempted") lms.set(K.status, "incomplete");
    } else {
      var completion = lms.get(K.completion);
      if (completion !== "completed") lms.set(K.completion, "incomplete");
    }
    var count = parseInt(lms.get(K.count), 10);
    interactionCount = isNaN(count) ? 0 : count;
    start = restore();
  } else {
    doc.getElementById("rp-nolms").hidden = false;
  }
  go(start, false);

  function stop() {
    if (!lms.active) return;
    saveState();
    lms.set(K.exit, "suspend");
    lms.set(K.session, sessionTime(Date.now() - started));
    lms.commit();
    lms.finish();
  }
  window.addEventListener("pagehide", stop);
  window.addEventListener("beforeunload", stop);

  // for tests and for the curious: what the player holds (never the keys)
  window.resolutionPlayer = {
    version: DATA.scorm,
    lmsFound: !!lms.api,
    go: function (i) { go(i, true); },
    screen: function () { return DATA.screens[state.s]; },
    stop: stop
  };
})();
