// The explorer's time slider and company selection: each change asks our server for the
// view of that day (network picture and company panel) and puts it in place.
"use strict";
(function () {
  var form = document.getElementById("explorer-form");
  if (!form) { return; }
  var slider = document.getElementById("year");
  var out = document.getElementById("year-out");
  var day = document.getElementById("at");
  var reading = document.getElementById("reading");
  var company = document.getElementById("company");
  var view = document.getElementById("explorer-view");
  var pending = null;

  function dayOfYear(year) {
    var today = new Date().toISOString().slice(0, 10);
    var d = year + "-07-01";
    return d > today ? today : d;
  }

  function params() {
    var p = new URLSearchParams();
    p.set("at", day.value);
    p.set("reading", reading.value);
    if (company.value) { p.set("company", company.value); }
    return p;
  }

  function refresh() {
    var p = params();
    if (pending) { pending.abort(); }
    pending = new AbortController();
    view.setAttribute("aria-busy", "true");
    fetch("/explorer/view?" + p.toString(), { signal: pending.signal, headers: { Accept: "text/html" } })
      .then(function (r) { return r.text().then(function (t) { return { ok: r.ok, text: t }; }); })
      .then(function (answer) {
        // Our own server-rendered, escaped HTML fragment.
        view.innerHTML = answer.text;
        view.removeAttribute("aria-busy");
        history.replaceState(null, "", "/explorer?" + p.toString());
      })
      .catch(function () {});
  }

  slider.addEventListener("input", function () {
    out.value = slider.value;
    day.value = dayOfYear(slider.value);
  });
  slider.addEventListener("change", refresh);
  day.addEventListener("change", function () {
    if (day.value) { slider.value = day.value.slice(0, 4); out.value = slider.value; refresh(); }
  });
  reading.addEventListener("change", refresh);
  form.addEventListener("submit", function (event) { event.preventDefault(); refresh(); });

  view.addEventListener("click", function (event) {
    var link = event.target.closest("a");
    if (!link) { return; }
    var href = link.getAttribute("href") || link.getAttribute("xlink:href") || "";
    if (href.indexOf("/explorer?") !== 0) { return; }
    var target = new URLSearchParams(href.slice("/explorer?".length));
    event.preventDefault();
    if (target.get("company")) { company.value = target.get("company"); }
    if (target.get("at")) {
      day.value = target.get("at");
      slider.value = day.value.slice(0, 4);
      out.value = slider.value;
    }
    refresh();
  });
})();
