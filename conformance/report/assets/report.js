// scim-conformance report: status/level filters and transcripts unpacked when opened.
// Plain DOM, no network; text is set with textContent, never parsed as HTML.
(function () {
  "use strict";
  var packed = null;
  function table() {
    if (packed === null) {
      var node = document.getElementById("transcripts");
      packed = node ? JSON.parse(node.textContent) : { strings: [], checks: {} };
    }
    return packed;
  }
  function body(index, strings) {
    if (index < 0) return null;
    var text = strings[index];
    try { return JSON.stringify(JSON.parse(text), null, 2); } catch (e) { return text; }
  }
  function exchangeText(row, strings) {
    var lines = ["> " + row[0] + " " + row[1]];
    row[2].forEach(function (h) { lines.push("> " + strings[h]); });
    var sent = body(row[3], strings);
    if (sent !== null) lines.push(sent);
    if (row[4] === null) {
      lines.push("< (no response: " + row[7] + ")");
    } else {
      lines.push("< " + row[4]);
      row[5].forEach(function (h) { lines.push("< " + strings[h]); });
      var got = body(row[6], strings);
      if (got !== null) lines.push(got);
    }
    return lines.join("\n");
  }
  function fill(details) {
    if (details.dataset.loaded) return;
    details.dataset.loaded = "1";
    var data = table(), rows = data.checks[details.dataset.check] || [];
    rows.forEach(function (row) {
      var pre = document.createElement("pre");
      pre.textContent = exchangeText(row, data.strings);
      details.appendChild(pre);
    });
  }
  document.addEventListener("toggle", function (event) {
    var target = event.target;
    if (target.open && target.classList && target.classList.contains("transcript")) fill(target);
  }, true);

  var form = document.getElementById("filters");
  if (!form) return;
  var checks = Array.prototype.slice.call(document.querySelectorAll("details.check"));
  var shown = document.getElementById("shown");
  function wanted(name) {
    var values = {};
    form.querySelectorAll("input[name=" + name + "]").forEach(function (box) {
      if (box.checked) values[box.value] = true;
    });
    return values;
  }
  function apply() {
    var statuses = wanted("status"), levels = wanted("level"), count = 0;
    checks.forEach(function (check) {
      var visible = statuses[check.dataset.status] && levels[check.dataset.level];
      check.hidden = !visible;
      if (visible) count += 1;
    });
    shown.textContent = "Showing " + count + " of " + checks.length + " checks.";
  }
  function set(name, test) {
    form.querySelectorAll("input[name=" + name + "]").forEach(function (box) {
      box.checked = test(box.value);
    });
    apply();
  }
  form.addEventListener("change", apply);
  form.querySelector("[data-show=findings]").addEventListener("click", function () {
    set("status", function (v) { return v === "fail" || v === "error" || v === "warn"; });
  });
  form.querySelector("[data-show=all]").addEventListener("click", function () {
    set("status", function () { return true; });
    set("level", function () { return true; });
  });
  function reveal() {  // a link from the index opens its check even when filtered out
    var id = decodeURIComponent(location.hash.slice(1));
    var check = id && document.getElementById(id);
    if (check && check.classList.contains("check")) {
      check.hidden = false;
      check.open = true;
      check.scrollIntoView();
    }
  }
  window.addEventListener("hashchange", reveal);
  form.hidden = false;
  apply();
  reveal();
})();
