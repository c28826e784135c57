// Enhancements only: the pages work fully without this file.
// "/" focuses the search box, Esc leaves it, j/k move between results,
// Enter opens the current one, and the sort menu applies itself on change.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  var current = -1;
  function hits() { return Array.prototype.slice.call(document.querySelectorAll("[data-hit]")); }
  function select(index) {
    var list = hits();
    if (!list.length) { return; }
    current = Math.max(0, Math.min(list.length - 1, index));
    list.forEach(function (el, i) { el.classList.toggle("current", i === current); });
    var link = list[current].querySelector("h2 a");
    if (link) { link.focus({ preventScroll: true }); }
    list[current].scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var box = document.querySelector("[data-search-box]");
    if (typing(event.target)) {
      if (event.key === "Escape" && event.target === box) { box.blur(); }
      return;
    }
    if (event.key === "/" && box) {
      event.preventDefault();
      box.focus();
      box.select();
    } else if (event.key === "j") {
      select(current + 1);
    } else if (event.key === "k") {
      select(current - 1);
    }
  });

  // The timeline: a click on a bar follows its link (that period); dragging across bars,
  // or Shift-clicking one bar and then clicking another, selects the range between them.
  function timeline(figure) {
    var svg = figure.querySelector("svg");
    var base = figure.getAttribute("data-range-url");
    if (!svg || !base) { return; }
    var bars = Array.prototype.slice.call(svg.querySelectorAll("[data-start]"));
    var pressed = null, anchor = null, dragged = false;
    function barAt(x, y) {
      var el = document.elementFromPoint(x, y);
      return el && el.closest ? el.closest("[data-start]") : null;
    }
    function mark(a, b) {
      var lo = Math.min(bars.indexOf(a), bars.indexOf(b)), hi = Math.max(bars.indexOf(a), bars.indexOf(b));
      bars.forEach(function (bar, i) { bar.classList.toggle("dragging", a !== null && i >= lo && i <= hi); });
    }
    function select(a, b) {
      var first = a.getAttribute("data-start") <= b.getAttribute("data-start") ? a : b;
      var last = first === a ? b : a;
      var url = new URL(base, window.location.href);
      url.searchParams.delete("page");
      url.searchParams.set("from", first.getAttribute("data-start"));
      url.searchParams.set("to", last.getAttribute("data-end"));
      window.location.assign(url.toString());
    }
    svg.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) { return; }
      pressed = barAt(event.clientX, event.clientY);
      dragged = false;
      if (pressed) { event.preventDefault(); }  // no native drag of the link
    });
    svg.addEventListener("pointermove", function (event) {
      if (!pressed) { return; }
      var over = barAt(event.clientX, event.clientY);
      if (over && over !== pressed) { dragged = true; }
      if (over && dragged) { mark(pressed, over); }
    });
    svg.addEventListener("pointerup", function (event) {
      var over = barAt(event.clientX, event.clientY);
      if (pressed && over && dragged && over !== pressed) { select(pressed, over); }
      pressed = null;
    });
    svg.addEventListener("click", function (event) {
      var bar = event.target.closest ? event.target.closest("[data-start]") : null;
      if (!bar) { return; }
      if (dragged) { event.preventDefault(); dragged = false; return; }
      if (anchor && anchor !== bar) { event.preventDefault(); select(anchor, bar); return; }
      if (event.shiftKey) { event.preventDefault(); anchor = bar; mark(bar, bar); }
    });
    svg.addEventListener("keydown", function (event) {
      var bar = event.target.closest ? event.target.closest("[data-start]") : null;
      if (!bar || event.key !== "Enter") { return; }
      if (anchor && anchor !== bar) { event.preventDefault(); select(anchor, bar); }
      else if (event.shiftKey) { event.preventDefault(); anchor = bar; mark(bar, bar); }
    });
  }

  // Facet values and the collapse switch are links that act as checkboxes and switches:
  // Space toggles them as it would a real one, and after the page reloads the focus goes
  // back to the value just toggled (not to the search box).
  var FOCUS_KEY = "archive-focus";
  function remember(el) {
    var facet = el.closest("[data-facet]");
    var what = el.hasAttribute("data-collapse-toggle") ? { collapse: true }
      : facet ? { facet: facet.getAttribute("data-facet"), value: el.getAttribute("data-value") || el.getAttribute("data-exclude"),
                  exclude: el.hasAttribute("data-exclude") } : null;
    if (what) {
      try { window.sessionStorage.setItem(FOCUS_KEY, JSON.stringify(what)); } catch (e) { /* storage off: no focus memory */ }
    }
  }
  function restore() {
    var saved;
    try { saved = JSON.parse(window.sessionStorage.getItem(FOCUS_KEY) || "null"); window.sessionStorage.removeItem(FOCUS_KEY); }
    catch (e) { return; }
    if (!saved) { return; }
    var target = null;
    if (saved.collapse) { target = document.querySelector("[data-collapse-toggle]"); }
    else {
      var facet = document.querySelector('[data-facet="' + CSS.escape(saved.facet) + '"]');
      if (facet) {
        target = facet.querySelector((saved.exclude ? "[data-exclude=" : "[data-value=") + '"' + CSS.escape(saved.value) + '"]');
      }
    }
    if (target) { target.focus(); }
  }
  document.addEventListener("click", function (event) {
    var el = event.target.closest ? event.target.closest("[role=checkbox], [role=switch], [data-exclude]") : null;
    if (el) { remember(el); }
  });
  document.addEventListener("keydown", function (event) {
    var el = event.target;
    if (event.key === " " && el.matches && el.matches("a[role=checkbox], a[role=switch]")) {
      event.preventDefault();
      el.click();
    }
  });

  // "Compare selected": the button says how many are ticked and waits for 2 to 4.
  function comparePicker(form) {
    var button = form.querySelector("[data-compare-submit]");
    var status = form.querySelector("[data-compare-status]");
    var picks = Array.prototype.slice.call(document.querySelectorAll("[data-compare-pick]"));
    function update() {
      var n = picks.filter(function (p) { return p.checked; }).length;
      button.disabled = n < 2 || n > 4;
      button.textContent = n ? "Compare " + n + " selected" : "Compare selected";
      status.textContent = n > 4 ? "At most 4 can be compared; untick " + (n - 4) + "."
        : n < 2 ? "Tick " + (2 - n) + " more result" + (n === 1 ? "" : "s") + " to compare (2 to 4)." : "";
    }
    picks.forEach(function (p) { p.addEventListener("change", update); });
    update();
  }

  // On a phone the filters come after the results; "Filters" moves them above and focuses them.
  function filtersPanel(layout) {
    var facets = document.getElementById("filters");
    document.querySelectorAll("[data-filters-open]").forEach(function (link) {
      link.setAttribute("aria-expanded", "false");
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var open = !layout.classList.contains("filters-open");
        layout.classList.toggle("filters-open", open);
        link.setAttribute("aria-expanded", open ? "true" : "false");
        if (open) { facets.focus(); facets.scrollIntoView({ block: "start" }); }
      });
    });
    document.querySelectorAll("[data-filters-close]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        layout.classList.remove("filters-open");
        var results = document.getElementById("results");
        results.focus();
        results.scrollIntoView({ block: "start" });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    restore();
    document.querySelectorAll("[data-layout]").forEach(filtersPanel);
    document.querySelectorAll("[data-compare-form]").forEach(comparePicker);
    document.querySelectorAll("[data-timeline]").forEach(timeline);
    document.querySelectorAll("select[data-autosubmit]").forEach(function (menu) {
      menu.addEventListener("change", function () { menu.form.submit(); });
    });
  });
})();
